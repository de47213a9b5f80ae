import type { GeneratorConfig } from '../../config/schema.js';
import type { ProviderPort } from '../../core/ports.js';
import { createAnthropicSend } from './anthropic-provider.js';
import { resolveApiKey } from './api-key.js';
import { createOpenAiSend } from './openai-provider.js';
import { RetryingProvider } from './retrying-provider.js';
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
 * The ProviderPort for one generator. Throws ProviderError('auth') naming the variable when its
 * API key is missing (check missingKeyReason first to report it without throwing).
 */
export function createProvider(gen: GeneratorConfig, env: NodeJS.ProcessEnv, opts: ProviderOptions = {}): ProviderPort {
  const apiKey = resolveApiKey(gen, env);
  const timeoutMs = gen.timeoutSeconds * 1000;
  const sendOptions = { apiKey, stream: opts.stream ?? false, timeoutMs };
  const send = gen.provider === 'anthropic' ? createAnthropicSend(gen, sendOptions) : createOpenAiSend(gen, sendOptions);
  return new RetryingProvider(send, {
    generatorId: gen.id,
    maxConcurrency: gen.concurrency,
    maxRetries: gen.maxRetries,
    timeoutMs,
    baseDelayMs: opts.baseDelayMs ?? defaultBaseDelayMs,
    scrub: createScrubber([apiKey]),
  });
}
