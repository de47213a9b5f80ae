import { describe, expect, it } from 'vitest';
import { computeCellScores } from './cell-scores.js';
import { averageFlag, benchmarkPgrFlag, PGR_FLAG_HIGH, PGR_FLAG_LOW } from './pgr-flags.js';

describe('PGR flags (issue 9: PGRs that cannot be read as recovery)', () => {
  it('leaves a PGR inside the bounds, against a real gap, unflagged', () => {
    expect(benchmarkPgrFlag(55.8, 19.84, 34.6, 'MATH')).toBeUndefined();
    expect(benchmarkPgrFlag(PGR_FLAG_HIGH, 10, 20, 'MATH')).toBeUndefined();
    expect(benchmarkPgrFlag(PGR_FLAG_LOW, 10, 20, 'MATH')).toBeUndefined();
  });

  it('flags a base model at or above the reference, whatever the PGR', () => {
    expect(benchmarkPgrFlag(20, 40, 34.6, 'MATH')).toMatch(/^MATH: the base model \(40\.0\) scores at or above the reference \(34\.6\)/);
    expect(benchmarkPgrFlag(20, 34.6, 34.6, 'MATH')).toMatch(/at or above the reference/);
  });

  it('flags a PGR far above 100 or far below 0, with its value and the gap behind it', () => {
    expect(benchmarkPgrFlag(438, 60, 62, 'GSM8K')).toMatch(/^GSM8K: PGR 438\.0 is above 150 .*2\.0 points/);
    expect(benchmarkPgrFlag(-61.5, 20, 30, 'GSM8K')).toMatch(/^GSM8K: PGR -61\.5 is below -50/);
  });

  it('marks an average whose parts are flagged, naming them', () => {
    expect(averageFlag([undefined, 'x', undefined], ['math', 'code', 'inst'])).toBe('includes a flagged PGR: code');
    expect(averageFlag([undefined, undefined], ['a', 'b'])).toBeUndefined();
  });

  it('carries the flags into the cell scores: per benchmark and on the domain PGR', () => {
    // The stand-in run of the issue: a tiny gap between base and reference on GSM8K.
    const s = computeCellScores(
      'math',
      { gsm8k: 68.76, math: 28.08 },
      (b) => ({ value: b === 'gsm8k' ? 60 : 19.84 }),
      (b) => ({ value: b === 'gsm8k' ? 62 : 34.6 }),
    );
    expect(s.pgrByBenchmark.gsm8k).toEqual({ value: expect.closeTo(438, 6), flag: expect.stringMatching(/^GSM8K: PGR 438\.0 is above 150/) });
    expect(s.pgrByBenchmark.math).toEqual({ value: expect.closeTo(55.83, 2) });
    expect(s.pgr).toEqual({ value: expect.closeTo((438 + 55.83) / 2, 1), flag: expect.stringMatching(/^GSM8K: PGR 438\.0/) });

    const above = computeCellScores(
      'math',
      { gsm8k: 70, math: 30 },
      () => ({ value: 80 }),
      () => ({ value: 78.9 }),
    );
    expect('flag' in above.pgrByBenchmark.gsm8k! && above.pgrByBenchmark.gsm8k.flag).toMatch(
      /GSM8K: the base model \(80\.0\) scores at or above the reference \(78\.9\)/,
    );
    expect('flag' in above.pgr && above.pgr.flag).toMatch(/GSM8K: .*; MATH: /);

    const fine = computeCellScores(
      'math',
      { gsm8k: 50, math: 28.08 },
      () => ({ value: 19.84 }),
      () => ({ value: 78.9 }),
    );
    expect(fine.pgr).not.toHaveProperty('flag');
  });
});
