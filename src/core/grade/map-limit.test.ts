import { describe, expect, it } from 'vitest';
import { mapLimit, Semaphore } from './map-limit.js';

function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('mapLimit', () => {
  it('keeps order and never has more than the limit in flight', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (x) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setImmediate(r));
      active--;
      return x * 2;
    });
    expect(out).toEqual([10, 2, 8, 4, 6]);
    expect(peak).toBe(2);
  });

  it('handles an empty list', async () => {
    expect(await mapLimit([], 3, async (x: number) => x)).toEqual([]);
  });
});

describe('Semaphore', () => {
  it('hands a released slot to a waiter before a newcomer', async () => {
    const s = new Semaphore(1);
    const order: string[] = [];
    const first = gate();
    const a = s.run(async () => {
      order.push('a');
      await first.promise;
    });
    const b = s.run(async () => void order.push('b'));
    first.open();
    await Promise.resolve();
    const c = s.run(async () => void order.push('c'));
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('frees the slot when the task throws', async () => {
    const s = new Semaphore(1);
    await expect(s.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await s.run(async () => 7)).toBe(7);
  });
});
