import { describe, expect, it } from 'vitest';
import { metricSample } from './sample.js';

const key = { seed: 42, generator: 'gpt-4o', setting: 'math/instance' };
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('metricSample', () => {
  it('is deterministic: the same ids in any order give the same sample, of the asked size', () => {
    const all = ids(1, 501);
    const a = metricSample(all, 100, key);
    const b = metricSample([...all].reverse(), 100, key);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(100);
    expect(a.every((id) => all.includes(id))).toBe(true);
  });

  it('depends on the seed and the cell, and is not simply the first instances', () => {
    const all = ids(1, 501);
    const a = metricSample(all, 100, key);
    expect(metricSample(all, 100, { ...key, seed: 7 })).not.toEqual(a);
    expect(metricSample(all, 100, { ...key, generator: 'claude' })).not.toEqual(a);
    expect([...a].sort((x, y) => x - y)).not.toEqual(ids(1, 101));
    // Roughly uniform over the ids: both halves are represented.
    expect(a.filter((id) => id <= 250).length).toBeGreaterThan(25);
    expect(a.filter((id) => id > 250).length).toBeGreaterThan(25);
  });

  it('is stable when more instances are added after: an earlier instance enters only if it was sampled before', () => {
    const before = metricSample(ids(1, 201), 50, key);
    const after = metricSample(ids(1, 401), 50, key);
    const earlierInAfter = after.filter((id) => id <= 200);
    expect(earlierInAfter.every((id) => before.includes(id))).toBe(true);
    // Its order among themselves is kept too: ranks never change.
    expect(earlierInAfter).toEqual(before.filter((id) => earlierInAfter.includes(id)));
    // With fewer instances than the size, the sample is all of them.
    expect(metricSample(ids(1, 11), 50, key).sort((x, y) => x - y)).toEqual(ids(1, 11));
  });

  it('refuses a size that is not a whole number', () => {
    expect(() => metricSample([1], -1, key)).toThrow(/whole number/);
  });
});
