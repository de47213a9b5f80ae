import { ProviderError, type RetryInfo } from '../../core/ports.js';
import type { AdaptiveLimiter } from './adaptive-limiter.js';
import { classifyError } from './classify-error.js';
import { abortedError, retryDelayMs, sleep } from './retry-policy.js';

export interface RetryLoopOptions {
  readonly limiter: AdaptiveLimiter;
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Per attempt, from sending to the last byte of the body. */
  readonly timeoutMs: number;
  readonly baseDelayMs: number;
  readonly scrub: (text: string) => string;
  readonly random?: () => number;
}

export interface RetryLoopCall {
  readonly signal?: AbortSignal;
  readonly onRetry?: (info: RetryInfo) => void;
}

export interface RetryLoopResult<T> {
  readonly value: T;
  readonly attempts: number;
  /** Of the attempt that succeeded, not counting queueing or earlier attempts. */
  readonly latencyMs: number;
}

function abortPromise(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error('attempt aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * Runs one attempt under its own AbortController, fired by the caller's signal or by the
 * timeout. The SDK call is raced against that controller because an aborted SDK stream can end
 * quietly instead of throwing; whichever fired decides the kind.
 */
async function attemptOnce<T>(run: (signal: AbortSignal) => Promise<T>, opts: RetryLoopOptions, callerSignal?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = () => controller.abort();
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, opts.timeoutMs);
  const aborted = abortPromise(controller.signal);
  const attempt = run(controller.signal);
  try {
    return await Promise.race([attempt, aborted.promise]);
  } catch (e) {
    attempt.catch(() => {}); // the losing SDK promise may still reject
    if (callerSignal?.aborted) throw abortedError();
    if (timedOut) throw new ProviderError('timeout', `no complete response within ${opts.timeoutMs / 1000} s`);
    throw classifyError(e, opts.scrub);
  } finally {
    clearTimeout(timer);
    aborted.dispose();
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * The only retry loop (the SDKs' own are off): every attempt takes a slot from the adaptive
 * limiter, retryable failures back off (honouring Retry-After) outside any slot, and the
 * caller's signal ends everything at once, sleeps included.
 */
export async function runWithRetries<T>(opts: RetryLoopOptions, call: RetryLoopCall, run: (signal: AbortSignal) => Promise<T>): Promise<RetryLoopResult<T>> {
  for (let attempt = 1; ; attempt++) {
    const slot = await opts.limiter.acquire(call.signal);
    const started = performance.now();
    let error: ProviderError;
    try {
      const value = await attemptOnce(run, opts, call.signal);
      slot.release('success');
      return { value, attempts: attempt, latencyMs: performance.now() - started };
    } catch (e) {
      error = e instanceof ProviderError ? e : classifyError(e, opts.scrub);
      slot.release(error.kind === 'rate-limit' ? 'rate-limit' : 'neutral');
    }
    if (!error.retryable) throw error;
    if (attempt > opts.maxRetries) {
      const tries = attempt === 1 ? '1 attempt' : `${attempt} attempts`;
      throw new ProviderError(error.kind, `${error.message} (gave up after ${tries})`, error.status, error.retryAfterMs);
    }
    const delayMs = retryDelayMs(error, attempt, opts.baseDelayMs, opts.random);
    call.onRetry?.({ attempt, kind: error.kind, message: error.message, delayMs });
    await sleep(delayMs, call.signal);
  }
}
