import { describe, expect, it } from 'vitest';
import { renderLossChart, resample, sparkline } from './loss-chart.js';

describe('loss chart', () => {
  it('resamples by averaging buckets', () => {
    expect(resample([1, 3, 5, 7], 2)).toEqual([2, 6]);
    expect(resample([1, 2], 5)).toEqual([1, 2]);
  });

  it('draws a falling curve high on the left and low on the right', () => {
    const rows = renderLossChart([4, 3, 2, 1], 4, 2);
    // 16 levels: 4, 3, 2, 1 map to 16, 11, 6 and 1 (the minimum stays visible).
    expect(rows).toEqual(['█▃  ', '██▆▁']);
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8)).toBe('▁▂▃▄▅▆▇█');
  });

  it('keeps within the width, shows a flat curve and leaves NaN as a gap', () => {
    const many = Array.from({ length: 500 }, (_, i) => 2 / (1 + i / 50));
    for (const r of renderLossChart(many, 40, 4)) expect([...r]).toHaveLength(40);
    expect(sparkline([1, 1, 1], 3)).toBe('▄▄▄');
    expect(sparkline([2, Number.NaN, 1], 3)).toBe('█ ▁');
    expect(renderLossChart([], 10, 3)).toEqual([]);
  });
});
