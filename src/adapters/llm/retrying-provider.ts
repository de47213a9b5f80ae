import type { CompletionRequest, CompletionResult, ProviderPort } from '../../core/ports.js';
import { AdaptiveLimiter } from './adaptive-limiter.js';
import { runWithRetries, type RetryLoopOptions } from './retry-loop.js';

/** What one successful attempt yields; attempts and latency are added by the retry loop. */
export type AttemptResult = Pick<CompletionResult, 'text' | 'usage' | 'finishReason' | 'model'>;

/** One attempt against one API: builds the request, sends it under `signal`, validates the answer. */
export type SendAttempt = (req: CompletionRequest, signal: AbortSignal) => Promise<AttemptResult>;

export interface RetryingProviderOptions extends Omit<RetryLoopOptions, 'limiter'> {
  readonly generatorId: string;
  readonly maxConcurrency: number;
}

/** A ProviderPort from a provider's single-attempt function, the retry loop and an AIMD limiter. */
export class RetryingProvider implements ProviderPort {
  readonly generatorId: string;
  readonly #limiter: AdaptiveLimiter;
  readonly #loop: RetryLoopOptions;
  readonly #send: SendAttempt;

  constructor(send: SendAttempt, opts: RetryingProviderOptions) {
    this.generatorId = opts.generatorId;
    this.#send = send;
    this.#limiter = new AdaptiveLimiter(opts.maxConcurrency);
    this.#loop = { ...opts, limiter: this.#limiter };
  }

  get concurrency(): number {
    return this.#limiter.limit;
  }

  /** @throws RangeError unless n is a positive integer. */
  setMaxConcurrency(n: number): void {
    this.#limiter.setMax(n);
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    const { value, attempts, latencyMs } = await runWithRetries(this.#loop, req, (signal) => this.#send(req, signal));
    return { ...value, attempts, latencyMs };
  }
}
