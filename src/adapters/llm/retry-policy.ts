import { setTimeout as delay } from 'node:timers/promises';
import { ProviderError } from '../../core/ports.js';

/** Backoff never grows past this (the SDKs cap theirs lower; a sweep runs for days). */
export const maxBackoffMs = 60_000;
export const defaultBaseDelayMs = 1_000;

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The wait a response asks for: `retry-after-ms` (OpenAI's, milliseconds) wins over
 * `retry-after` (seconds, or an HTTP date). Undefined when absent or unreadable.
 */
export function parseRetryAfterMs(headers: HeaderSource | undefined, nowMs: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms) {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  // Only an HTTP date from here on; Date.parse would read "-3" as a year.
  if (!/[A-Za-z]/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with "equal jitter": half of the step is fixed, half random. */
export function backoffDelayMs(attempt: number, baseDelayMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxBackoffMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return step / 2 + random() * (step / 2);
}

/**
 * The wait before the next attempt after `attempt` failed with `error`. A server's Retry-After
 * is honoured as a floor, plus up to 10% jitter (at most 1 s) so that clients told the same
 * time do not all come back at once.
 */
export function retryDelayMs(error: ProviderError, attempt: number, baseDelayMs: number, random: () => number = Math.random): number {
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs + random() * Math.min(error.retryAfterMs * 0.1, 1_000);
  }
  return backoffDelayMs(attempt, baseDelayMs, random);
}

export function abortedError(): ProviderError {
  return new ProviderError('aborted', 'request aborted');
}

/**
 * Sleeps at least `ms` (timers may fire a little early; this waits again until the deadline has
 * passed on the monotonic clock). Rejects with ProviderError('aborted') as soon as `signal` aborts.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const deadline = performance.now() + ms;
  try {
    if (signal?.aborted) throw signal.reason;
    for (let left = ms; left > 0; left = deadline - performance.now()) await delay(Math.ceil(left), undefined, signal ? { signal } : undefined);
  } catch (e) {
    if (signal?.aborted) throw abortedError();
    throw e;
  }
}
