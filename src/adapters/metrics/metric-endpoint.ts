import type OpenAI from 'openai';
import { ProviderError } from '../../core/ports.js';
import { placeholderApiKey } from '../llm/api-key.js';
import { AdaptiveLimiter } from '../llm/adaptive-limiter.js';
import { classifyError } from '../llm/classify-error.js';
import { fetchKeepingErrorBody } from '../llm/error-body-fetch.js';
import { runWithRetries } from '../llm/retry-loop.js';
import { defaultBaseDelayMs } from '../llm/retry-policy.js';
import { createScrubber } from '../llm/scrub-secrets.js';
import { endpointBaseUrl } from '../serve/readiness.js';

/** Where a metric model answers (a perplexity base model, an embedding model, a reward model). */
export interface MetricEndpointOptions {
  /** OpenAI-compatible base URL; `/v1` is added when it does not end with it. */
  readonly baseURL: string;
  readonly model: string;
  /** Sent as a Bearer token; local servers need none. */
  readonly apiKey?: string;
  /** Per attempt, from sending to the last byte of the body. */
  readonly timeoutMs: number;
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** First backoff step (doubles per retry, with jitter); default 1000 ms. Tests pass a few ms. */
  readonly baseDelayMs?: number;
  /** Attempts at once; a 429 halves it for a while (AIMD). Default 16. */
  readonly maxConcurrency?: number;
}

/** One endpoint's attempts, each under the project's retry loop. */
export interface MetricCaller {
  /** The base URL with `/v1`. */
  readonly baseURL: string;
  /** The server's root, without `/v1`: vLLM's `/pooling` lives there. */
  readonly root: string;
  readonly apiKey: string;
  /**
   * Runs `attempt` until it succeeds: 429, 5xx, timeouts, network errors and malformed bodies are
   * retried (Retry-After honoured); other 4xx and anything not retryable fail at once. Every error
   * is a ProviderError with secrets scrubbed; `signal` ends the call, backoff sleeps included.
   */
  call<T>(signal: AbortSignal, attempt: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

export function metricCaller(opts: MetricEndpointOptions): MetricCaller {
  const baseURL = endpointBaseUrl(opts.baseURL);
  const apiKey = opts.apiKey ?? placeholderApiKey;
  const loop = {
    limiter: new AdaptiveLimiter(opts.maxConcurrency ?? 16),
    maxRetries: opts.maxRetries,
    timeoutMs: opts.timeoutMs,
    baseDelayMs: opts.baseDelayMs ?? defaultBaseDelayMs,
    scrub: createScrubber([apiKey]),
  };
  return {
    baseURL,
    root: baseURL.replace(/\/v1$/, ''),
    apiKey,
    call: async (signal, attempt) => (await runWithRetries(loop, { signal }, attempt)).value,
  };
}

type OpenAiModule = typeof import('openai');

/**
 * Runs attempts through the real `openai` SDK (its own retries off: the caller's loop retries).
 * The SDK is loaded on the first request, so wiring a client up costs nothing in a process that
 * never measures; its errors are classified here, where its error classes are at hand.
 */
export function openAiAttempts(
  caller: MetricCaller,
  opts: MetricEndpointOptions,
): <T>(signal: AbortSignal, run: (client: OpenAI, signal: AbortSignal) => Promise<T>) => Promise<T> {
  let loading: Promise<{ client: OpenAI; sdk: OpenAiModule }> | undefined;
  const load = async () => {
    const sdk = await import('openai');
    const client = new sdk.OpenAI({
      apiKey: caller.apiKey,
      baseURL: caller.baseURL,
      maxRetries: 0,
      timeout: opts.timeoutMs,
      logLevel: 'off',
      fetch: fetchKeepingErrorBody,
    });
    return { client, sdk };
  };
  return async (signal, run) => {
    // Loaded before the first attempt, so that loading never counts against its timeout.
    const { client, sdk } = await (loading ??= load());
    return caller.call(signal, async (attemptSignal) => {
      try {
        return await run(client, attemptSignal);
      } catch (e) {
        // Unscrubbed here: the retry loop scrubs every error it passes on.
        throw classifyError(e, (text) => text, sdk);
      }
    });
  };
}

/** A server that cannot give what a metric needs: retrying will not change it, so it fails at once. */
export function unsupported(what: string, message: string): ProviderError {
  return new ProviderError('bad-request', `${what}: ${message}`);
}
