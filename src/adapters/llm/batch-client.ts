import type { GeneratorConfig } from '../../config/schema.js';
import { resolveApiKey } from './api-key.js';
import { BatchSubmitError, type BatchClient, type BatchClientOptions } from './batch-port.js';
import { classifyError, type SdkErrors } from './classify-error.js';
import { createScrubber } from './scrub-secrets.js';

/** Loads only the generator's own SDK, on first use, as the live provider does (startup-imports test). */
async function load(gen: GeneratorConfig, opts: BatchClientOptions): Promise<{ client: BatchClient; sdk: SdkErrors }> {
  if (gen.provider === 'anthropic') {
    const [{ createAnthropicBatch }, sdk] = await Promise.all([import('./anthropic-batch.js'), import('@anthropic-ai/sdk')]);
    return { client: createAnthropicBatch(gen, opts, sdk), sdk };
  }
  const [{ createOpenAiBatch }, sdk] = await Promise.all([import('./openai-batch.js'), import('openai')]);
  return { client: createOpenAiBatch(gen, opts, sdk), sdk };
}

/** The batch API of one generator; every error comes out as a ProviderError with secrets scrubbed. */
export function createBatchClient(gen: GeneratorConfig, env: NodeJS.ProcessEnv): BatchClient {
  const apiKey = resolveApiKey(gen, env);
  const scrub = createScrubber([apiKey]);
  let loading: ReturnType<typeof load> | undefined;
  const wrap = async <T>(f: (c: BatchClient) => Promise<T>): Promise<T> => {
    const { client, sdk } = await (loading ??= load(gen, { apiKey, timeoutMs: gen.timeoutSeconds * 1000 }));
    try {
      return await f(client);
    } catch (e) {
      const error = classifyError(e, scrub, sdk);
      throw e instanceof BatchSubmitError ? new BatchSubmitError(error, e.maybeSent) : error;
    }
  };
  return {
    submit: (items, signal) => wrap((c) => c.submit(items, signal)),
    status: (id, signal) => wrap((c) => c.status(id, signal)),
    results: (id, signal) => wrap((c) => c.results(id, signal)),
  };
}
