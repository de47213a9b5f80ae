import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/ports.js';
import { AdaptiveLimiter, type LimiterSlot } from './adaptive-limiter.js';

async function takeAll(limiter: AdaptiveLimiter, n: number): Promise<LimiterSlot[]> {
  const slots: LimiterSlot[] = [];
  for (let i = 0; i < n; i++) slots.push(await limiter.acquire());
  return slots;
}

describe('AdaptiveLimiter', () => {
  it('grants up to the limit and queues the rest first come first served', async () => {
    const limiter = new AdaptiveLimiter(2);
    const [a, b] = await takeAll(limiter, 2);
    const order: string[] = [];
    const c = limiter.acquire().then((s) => (order.push('c'), s));
    const d = limiter.acquire().then((s) => (order.push('d'), s));
    await Promise.resolve();
    expect(limiter.active).toBe(2);
    expect(limiter.waiting).toBe(2);
    a!.release('success');
    a!.release('success'); // a second release of the same slot is ignored
    await c;
    expect(limiter.active).toBe(2);
    b!.release('neutral');
    await d;
    expect(order).toEqual(['c', 'd']);
  });

  it('halves on a 429 (never below 1) and recovers by one per run of successes', async () => {
    const limiter = new AdaptiveLimiter(8);
    (await limiter.acquire()).release('rate-limit');
    expect(limiter.limit).toBe(4);
    (await limiter.acquire()).release('rate-limit');
    (await limiter.acquire()).release('rate-limit');
    (await limiter.acquire()).release('rate-limit');
    expect(limiter.limit).toBe(1);
    (await limiter.acquire()).release('rate-limit');
    expect(limiter.limit).toBe(1);
    const seen: number[] = [];
    for (let i = 0; i < 40 && limiter.limit < 8; i++) {
      (await limiter.acquire()).release('success');
      seen.push(limiter.limit);
    }
    // 1 success to reach 2, then 2 for 3, ... 7 for 8: additive increase, one step per window.
    expect(seen.length).toBe(1 + 2 + 3 + 4 + 5 + 6 + 7);
    expect(limiter.limit).toBe(8);
    (await limiter.acquire()).release('success');
    expect(limiter.limit).toBe(8);
  });

  it('halves once per congestion event, not once per 429 of the same burst', async () => {
    const limiter = new AdaptiveLimiter(8);
    const slots = await takeAll(limiter, 8);
    for (const s of slots) s.release('rate-limit');
    expect(limiter.limit).toBe(4);
    (await limiter.acquire()).release('rate-limit');
    expect(limiter.limit).toBe(2);
  });

  it('lets no more than the halved limit run after a 429', async () => {
    const limiter = new AdaptiveLimiter(4);
    const [first, ...rest] = await takeAll(limiter, 4);
    first!.release('rate-limit');
    expect(limiter.limit).toBe(2);
    const next = limiter.acquire();
    rest[0]!.release('neutral');
    await Promise.resolve();
    expect(limiter.active).toBe(2);
    expect(limiter.waiting).toBe(1);
    rest[1]!.release('neutral');
    await next;
    expect(limiter.active).toBe(2);
  });

  it('setMax moves an unthrottled limit with the cap and clamps a throttled one', async () => {
    const limiter = new AdaptiveLimiter(4);
    limiter.setMax(10);
    expect(limiter.limit).toBe(10);
    (await limiter.acquire()).release('rate-limit');
    expect(limiter.limit).toBe(5);
    limiter.setMax(12);
    expect(limiter.limit).toBe(5);
    limiter.setMax(3);
    expect(limiter.limit).toBe(3);
    expect(limiter.max).toBe(3);
    expect(() => limiter.setMax(0)).toThrow(RangeError);
    expect(() => new AdaptiveLimiter(1.5)).toThrow(RangeError);
  });

  it('wakes waiters when the cap is raised', async () => {
    const limiter = new AdaptiveLimiter(1);
    await limiter.acquire();
    const waiting = limiter.acquire();
    limiter.setMax(2);
    await expect(waiting).resolves.toBeDefined();
    expect(limiter.active).toBe(2);
  });

  it('rejects a queued acquire at once when its signal aborts, and leaves the queue clean', async () => {
    const limiter = new AdaptiveLimiter(1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const queued = limiter.acquire(controller.signal);
    controller.abort();
    await expect(queued).rejects.toSatisfy((e: unknown) => e instanceof ProviderError && e.kind === 'aborted');
    expect(limiter.waiting).toBe(0);
    held.release('success');
    expect(limiter.active).toBe(0);
    await expect(limiter.acquire(AbortSignal.abort())).rejects.toBeInstanceOf(ProviderError);
  });
});
