import { describe, expect, it } from 'vitest';
import { throttled } from './analysis-cache.js';

describe('throttled analyses', () => {
  it('computes once per interval and again after it, and retries after a failure', () => {
    let clock = 0;
    let calls = 0;
    let fail = false;
    const get = throttled(
      () => {
        calls++;
        if (fail) throw new Error('locked');
        return calls;
      },
      5000,
      () => clock,
    );
    expect([get(), get()]).toEqual([1, 1]);
    clock = 4999;
    expect(get()).toBe(1);
    clock = 5000;
    expect(get()).toBe(2);
    clock = 20_000;
    fail = true;
    expect(() => get()).toThrow('locked');
    fail = false;
    expect(get()).toBe(4);
    expect(calls).toBe(4);
  });
});
