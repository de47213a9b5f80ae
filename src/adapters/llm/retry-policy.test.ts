import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/ports.js';
import { backoffDelayMs, maxBackoffMs, parseRetryAfterMs, retryDelayMs, sleep } from './retry-policy.js';

const headers = (h: Record<string, string>) => new Headers(h);

describe('parseRetryAfterMs', () => {
  it('reads seconds, fractional seconds and milliseconds', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfterMs(headers({ 'retry-after': '0.3' }))).toBe(300);
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '450' }))).toBe(450);
  });

  it('prefers retry-after-ms over retry-after', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after': '5', 'retry-after-ms': '120' }))).toBe(120);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(parseRetryAfterMs(headers({ 'retry-after': 'Wed, 21 Oct 2026 07:28:03 GMT' }), now)).toBe(3000);
    expect(parseRetryAfterMs(headers({ 'retry-after': 'Wed, 21 Oct 2026 07:27:00 GMT' }), now)).toBe(0);
  });

  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs(headers({}))).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'retry-after': '-3' }))).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': 'x', 'retry-after': '1' }))).toBe(1000);
  });
});

describe('backoff', () => {
  it('doubles per attempt, with jitter in the upper half of each step, and is capped', () => {
    expect(backoffDelayMs(1, 100, () => 0)).toBe(50);
    expect(backoffDelayMs(1, 100, () => 1)).toBe(100);
    expect(backoffDelayMs(3, 100, () => 0)).toBe(200);
    expect(backoffDelayMs(3, 100, () => 1)).toBe(400);
    expect(backoffDelayMs(40, 100, () => 1)).toBe(maxBackoffMs);
  });

  it('waits at least the Retry-After when one was given, plus bounded jitter', () => {
    const limited = new ProviderError('rate-limit', '429', 429, 300);
    expect(retryDelayMs(limited, 1, 10_000, () => 0)).toBe(300);
    expect(retryDelayMs(limited, 1, 10_000, () => 1)).toBeCloseTo(330);
    const long = new ProviderError('rate-limit', '429', 429, 60_000);
    expect(retryDelayMs(long, 1, 10, () => 1)).toBe(61_000);
    const server = new ProviderError('server', '500', 500);
    expect(retryDelayMs(server, 2, 100, () => 0)).toBe(100);
  });
});

describe('sleep', () => {
  it('resolves no earlier than asked', async () => {
    const start = performance.now();
    await sleep(30);
    expect(performance.now() - start).toBeGreaterThanOrEqual(30);
  });

  it('rejects with kind aborted when its signal aborts, before or during the wait', async () => {
    await expect(sleep(10, AbortSignal.abort())).rejects.toMatchObject({ kind: 'aborted' });
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
  });
});
