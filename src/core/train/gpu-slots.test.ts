import { describe, expect, it } from 'vitest';
import { cudaVisibleDevices, freeDevices } from './gpu-slots.js';

describe('gpu slots', () => {
  it('gives each job the lowest devices nobody holds', () => {
    expect(freeDevices(2, 1, [])).toEqual([0]);
    expect(freeDevices(2, 1, [[0]])).toEqual([1]);
    expect(freeDevices(2, 1, [[0], [1]])).toBeUndefined();
    expect(freeDevices(8, 4, [[0, 1, 2, 3]])).toEqual([4, 5, 6, 7]);
    expect(freeDevices(8, 4, [[1], [6]])).toEqual([0, 2, 3, 4]);
  });

  it('maps ordinals through the parent CUDA_VISIBLE_DEVICES', () => {
    expect(cudaVisibleDevices([0, 1], undefined)).toBe('0,1');
    expect(cudaVisibleDevices([1], '2,5')).toBe('5');
    expect(cudaVisibleDevices([0, 1], '')).toBe('0,1');
  });
});
