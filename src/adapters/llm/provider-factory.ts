import type { GeneratorConfig } from '../../config/schema.js';
import type { ProviderPort } from '../../core/ports.js';
import { resolveApiKey } from './api-key.js';
import { classifyError, type SdkErrors } from './classify-error.js';
import type { SendOptions } from './openai-provider.js';
import { RetryingProvider, type SendAttempt } from './retrying-provider.js';
import { defaultBaseDelayMs } from './retry-policy.js';
import { createScrubber } from './scrub-secrets.js';

export { missingKeyReason } from './api-key.js';

export interface ProviderOptions {
  /** Stream responses (SSE) instead of waiting for one JSON body; default false. */
  readonly stream?: boolean;
  /** First backoff step in ms (doubles per retry, with jitter); default 1000. Tests pass a few ms. */
  readonly baseDelayMs?: number;
}

/**
 * Each SDK takes hundreds of milliseconds to load, so a provider loads its own on its first
 * request, and only its own: an OpenAI-compatible worker never loads the Anthropic SDK. The
 * SDK's errors are classified here, where its error classes are at hand.
 */
async function loadSend(gen: GeneratorConfig, opts: SendOptions): Promise<{ send: SendAttempt; sdk: SdkErrors }> {
  if (gen.provider === 'anthropic') {
    const [{ createAnthropicSend }, sdk] = await Promise.all([import('./anthropic-provider.js'), import('@anthropic-ai/sdk')]);
    return { send: createAnthropicSend(gen, opts), sdk };
  }
  const [{ createOpenAiSend }, sdk] = await Promise.all([import('./openai-provider.js'), import('openai')]);
  return { send: createOpenAiSend(gen, opts), sdk };
}

function lazySend(gen: GeneratorConfig, opts: SendOptions): SendAttempt {
  let loading: ReturnType<typeof loadSend> | undefined;
  return async (req, signal) => {
    const { send, sdk } = await (loading ??= loadSend(gen, opts));
    try {
      return await send(req, signal);
    } catch (e) {
      // Unscrubbed here: the retry loop scrubs every error it passes on.
      throw classifyError(e, (text) => text, sdk);
    }
  };
}

/**
 * The ProviderPort for one generator. Throws ProviderError('auth') naming the variable when its
 * API key is missing (check missingKeyReason first to report it without throwing).
 */
export function createProvider(gen: GeneratorConfig, env: NodeJS.ProcessEnv, opts: ProviderOptions = {}): ProviderPort {
  const apiKey = resolveApiKey(gen, env);
  const timeoutMs = gen.timeoutSeconds * 1000;
  const sendOptions = { apiKey, stream: opts.stream ?? false, timeoutMs };
  return new RetryingProvider(lazySend(gen, sendOptions), {
    generatorId: gen.id,
    maxConcurrency: gen.concurrency,
    maxRetries: gen.maxRetries,
    timeoutMs,
    baseDelayMs: opts.baseDelayMs ?? defaultBaseDelayMs,
    scrub: createScrubber([apiKey]),
  });
}
