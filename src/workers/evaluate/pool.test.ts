import { describe, expect, it } from 'vitest';
import { runPool } from './pool.js';

/** A task per item that stays in flight until the test releases it, so a test can look mid-run. */
function heldTasks() {
  const started: number[] = [];
  const finished: number[] = [];
  const releases = new Map<number, (error?: Error) => void>();
  let active = 0;
  let peak = 0;
  let onStart: () => void = () => {};
  const fn = (item: number) =>
    new Promise<void>((resolve, reject) => {
      started.push(item);
      active++;
      peak = Math.max(peak, active);
      releases.set(item, (error) => {
        active--;
        finished.push(item);
        if (error) reject(error);
        else resolve();
      });
      onStart();
    });
  /** Resolves once `n` items have started. */
  const startedAtLeast = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (started.length >= n) resolve();
      };
      onStart = check;
      check();
    });
  const release = (item: number, error?: Error) => releases.get(item)!(error);
  return { fn, started, finished, release, startedAtLeast, peak: () => peak, active: () => active };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('runPool', () => {
  it('runs every item once with never more than the limit in flight', async () => {
    const t = heldTasks();
    const items = Array.from({ length: 10 }, (_, i) => i);
    const done = runPool(items, 3, t.fn);
    for (let n = 0; n < items.length; n++) {
      await t.startedAtLeast(n + 1);
      await settle();
      expect(t.active()).toBeLessThanOrEqual(3);
      t.release(t.started[n]!);
    }
    await done;
    expect(t.started.slice().sort((a, b) => a - b)).toEqual(items);
    expect(t.peak()).toBe(3);
  });

  it('starts the items in their order', async () => {
    const order: number[] = [];
    await runPool([4, 2, 9, 1], 2, async (x) => void order.push(x));
    expect(order).toEqual([4, 2, 9, 1]);
  });

  it('after an error starts nothing new, lets the ones in flight finish, then throws that first error', async () => {
    const t = heldTasks();
    const items = Array.from({ length: 8 }, (_, i) => i);
    let outcome: unknown = 'pending';
    const done = runPool(items, 2, t.fn).then(
      () => (outcome = 'resolved'),
      (e: unknown) => (outcome = e),
    );
    await t.startedAtLeast(2);
    t.release(0, new Error('first'));
    await settle();
    expect(t.started).toEqual([0, 1]);
    expect(outcome).toBe('pending');
    t.release(1, new Error('second'));
    await done;
    expect((outcome as Error).message).toBe('first');
    expect(t.started).toEqual([0, 1]);
  });

  it('after an abort starts nothing new, lets the ones in flight finish, and resolves', async () => {
    const t = heldTasks();
    const ac = new AbortController();
    let resolved = false;
    const done = runPool([0, 1, 2, 3, 4, 5], 2, t.fn, ac.signal).then(() => (resolved = true));
    await t.startedAtLeast(2);
    t.release(0);
    await t.startedAtLeast(3);
    ac.abort();
    t.release(1);
    await settle();
    expect(resolved).toBe(false);
    t.release(2);
    await done;
    expect(t.started).toEqual([0, 1, 2]);
    expect(t.finished.sort()).toEqual([0, 1, 2]);
  });

  it('starts nothing when already aborted, and handles an empty list and a limit below 1', async () => {
    let calls = 0;
    await runPool([1, 2], 2, async () => void calls++, AbortSignal.abort());
    await runPool([], 4, async () => void calls++);
    expect(calls).toBe(0);
    const order: number[] = [];
    await runPool([1, 2, 3], 0, async (x) => void order.push(x));
    expect(order).toEqual([1, 2, 3]);
  });
});
