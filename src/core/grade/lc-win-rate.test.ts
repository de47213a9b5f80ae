import { describe, expect, it } from 'vitest';
import { fitLogistic, sigmoid, winRates, type PairwiseJudgement } from './lc-win-rate.js';
import { mulberry32 } from './seeded-random.js';

describe('fitLogistic', () => {
  it('recovers the coefficients that generated the data', () => {
    const rng = mulberry32(7);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const f = rng() * 4 - 2;
      x.push([1, f]);
      y.push(rng() < sigmoid(-0.5 + 1.5 * f) ? 1 : 0);
    }
    const [b0 = 0, b1 = 0] = fitLogistic(x, y);
    expect(b0).toBeCloseTo(-0.5, 1);
    expect(b1).toBeCloseTo(1.5, 1);
  });

  it('takes soft labels: constant 0.3 preferences give an intercept of logit(0.3)', () => {
    const [b0 = 0] = fitLogistic(
      Array.from({ length: 500 }, () => [1]),
      Array.from({ length: 500 }, () => 0.3),
    );
    expect(sigmoid(b0)).toBeCloseTo(0.3, 3);
  });

  it('stays finite when every comparison is won', () => {
    const [b0 = 0] = fitLogistic(
      Array.from({ length: 50 }, () => [1]),
      Array.from({ length: 50 }, () => 1),
    );
    expect(Number.isFinite(b0)).toBe(true);
    expect(sigmoid(b0)).toBeGreaterThan(0.95);
  });
});

/**
 * Synthetic judge: the model is exactly as good as the reference (50% at equal length) but a
 * verbose judge favours whichever output is longer, through the same feature the GLM uses
 * (tanh of the length difference over its standard deviation). The raw win rate rewards
 * verbosity; the length-controlled one must take it out.
 */
function verboseJudge(n: number, modelLonger: number, seed: number): PairwiseJudgement[] {
  const rng = mulberry32(seed);
  const lengths = Array.from({ length: n }, () => {
    const baselineLength = 1500 + Math.floor(rng() * 1000);
    return { baselineLength, modelLength: Math.max(10, baselineLength + Math.round(modelLonger + (rng() - 0.5) * 1200)) };
  });
  const deltas = lengths.map((l) => l.baselineLength - l.modelLength);
  const mean = deltas.reduce((s, d) => s + d, 0) / n;
  const sd = Math.sqrt(deltas.reduce((s, d) => s + (d - mean) ** 2, 0) / (n - 1));
  return lengths.map((l, i) => ({ ...l, preference: rng() < sigmoid(-1.5 * Math.tanh((deltas[i] ?? 0) / sd)) ? 1 : 0 }));
}

describe('winRates', () => {
  it('length control removes a verbosity advantage', () => {
    const w = winRates(verboseJudge(6000, 300, 1));
    expect(w.winRate).toBeGreaterThan(62);
    expect(w.lengthControlledWinRate).toBeGreaterThan(45);
    expect(w.lengthControlledWinRate).toBeLessThan(55);
    // The length coefficient is negative: baseline longer than model (delta > 0) means losing.
    expect(w.weights[1]).toBeLessThan(0);
  });

  it('keeps a real quality difference that has no length difference', () => {
    const rng = mulberry32(3);
    const js = Array.from({ length: 3000 }, () => ({
      preference: rng() < 0.7 ? 1 : 0,
      modelLength: 1000 + Math.floor(rng() * 500),
      baselineLength: 1000 + Math.floor(rng() * 500),
    }));
    const w = winRates(js);
    expect(w.lengthControlledWinRate).toBeGreaterThan(66);
    expect(w.lengthControlledWinRate).toBeLessThan(74);
    expect(Math.abs(w.lengthControlledWinRate - w.winRate)).toBeLessThan(2);
  });

  it('counts wins, draws and losses and averages ties as half', () => {
    const w = winRates([
      { preference: 1, modelLength: 10, baselineLength: 10 },
      { preference: 0.5, modelLength: 10, baselineLength: 10 },
      { preference: 0, modelLength: 10, baselineLength: 10 },
      { preference: 0, modelLength: 10, baselineLength: 10 },
    ]);
    expect(w.winRate).toBe(37.5);
    expect([w.nWins, w.nDraws, w.nLosses]).toEqual([1, 1, 2]);
    // No length variation: the fit is the intercept alone, i.e. the raw rate (up to the weak penalty).
    expect(w.lengthControlledWinRate).toBeCloseTo(37.5, 0);
  });

  it('returns zeros for no judgements', () => {
    expect(winRates([]).lengthControlledWinRate).toBe(0);
  });
});
