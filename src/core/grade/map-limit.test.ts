import { describe, expect, it } from 'vitest';
import { mapLimit } from './map-limit.js';

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

  it('after an error starts nothing new, lets the ones in flight finish, then throws that first error', async () => {
    const started: number[] = [];
    const held = new Map<number, ReturnType<typeof gate>>();
    let outcome: unknown = 'pending';
    const done = mapLimit([0, 1, 2, 3, 4, 5], 2, async (x) => {
      started.push(x);
      const g = gate();
      held.set(x, g);
      await g.promise;
      if (x === 0) throw new Error('first');
      return x;
    }).then(
      () => (outcome = 'resolved'),
      (e: unknown) => (outcome = e),
    );
    await new Promise((r) => setImmediate(r));
    held.get(0)!.open();
    await new Promise((r) => setImmediate(r));
    // Item 1 is still in flight: no new item starts and the error waits for it.
    expect(started).toEqual([0, 1]);
    expect(outcome).toBe('pending');
    held.get(1)!.open();
    await done;
    expect((outcome as Error).message).toBe('first');
    expect(started).toEqual([0, 1]);
  });

  it('passes each item its index and treats a limit below 1 as 1', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapLimit(['a', 'b', 'c'], 0, async (x, i) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setImmediate(r));
      active--;
      return `${x}${i}`;
    });
    expect(out).toEqual(['a0', 'b1', 'c2']);
    expect(peak).toBe(1);
  });
});
