import { describe, expect, it } from 'vitest';
import type { UsdRange } from './plan-breakdown.js';
import { apiSpend, generatorSpend, sweepBreakdown, type CellStagesPlan } from './plan-sweep.js';
import type { JudgePlan } from './plan-judge.js';
import type { CellPlan } from './plan.js';

const est = (usd: number) => ({ requests: 1, tokensIn: 1, tokensOut: 1, usd });
const gen = (l: number, e: number, h: number): CellPlan => ({ low: est(l), expected: est(e), high: est(h) });
const judged = (l: number, e: number, h: number): JudgePlan => ({ calls: 1805, low: est(l), expected: est(e), high: est(h) });
const hours = (e: number): UsdRange => ({ low: e / 2, expected: e, high: e * 2 });

const cells: CellStagesPlan[] = [
  { generator: 'a', setting: 'inst/instance', generation: gen(1, 2, 4), judge: judged(10, 20, 40), gpuHours: { train: hours(4), evaluate: hours(1) } },
  { generator: 'b', setting: 'math/instance', generation: gen(2, 3, 5), gpuHours: { train: hours(2), evaluate: hours(1) } },
];
const baselines = [{ subject: 'base', judge: judged(5, 10, 20), gpuHours: hours(1) }];

describe('sweepBreakdown', () => {
  it('totals every component, cell by cell and for the baselines, GPU hours priced at gpuHourUsd', () => {
    const b = sweepBreakdown({ cells, baselines, judgeGenerator: 'a', gpuHourUsd: 2 });
    expect(b.generation).toEqual({ low: 3, expected: 5, high: 9 });
    expect(b.judge).toEqual({ low: 10, expected: 20, high: 40 });
    expect(b.gpuByStage).toEqual({ train: { low: 6, expected: 12, high: 24 }, evaluate: { low: 2, expected: 4, high: 8 } });
    expect(b.gpu).toEqual({ low: 8, expected: 16, high: 32 });
    expect(b.baselines).toEqual({ low: 6, expected: 12, high: 24 });
    expect(b.total).toEqual({ low: 27, expected: 53, high: 105 });
    expect(b.cells[1]).toMatchObject({ judge: { low: 0, expected: 0, high: 0 }, judgeCalls: 0, gpu: { low: 3, expected: 6, high: 12 } });
    expect(b.gpuHours?.train).toEqual({ low: 3, expected: 6, high: 12 });
  });

  it('plans GPU hours without a price, at no cost', () => {
    const b = sweepBreakdown({ cells, baselines });
    expect(b.gpu).toEqual({ low: 0, expected: 0, high: 0 });
    expect(b.gpuHours?.evaluate.expected).toBe(2);
    expect(b.total.expected).toBe(5 + 20 + 10);
  });

  it('charges every judge call to the judge generator against its cap; the budget caps API calls, not GPU time', () => {
    const b = sweepBreakdown({ cells, baselines, judgeGenerator: 'a', gpuHourUsd: 2 });
    expect(generatorSpend(b, 'a')).toEqual({
      generation: { low: 1, expected: 2, high: 4 },
      judge: { low: 15, expected: 30, high: 60 },
      solve: { low: 0, expected: 0, high: 0 },
      total: { low: 16, expected: 32, high: 64 },
    });
    expect(generatorSpend(b, 'b').judge).toEqual({ low: 0, expected: 0, high: 0 });
    expect(apiSpend(b)).toEqual({ low: 18, expected: 35, high: 69 });
  });

  it("adds the generators' own scores to the total and the API spend: answers to each generator's cap, their judging to the judge's", () => {
    const solve = (e: number) => ({ calls: 20, low: est(e / 2), expected: est(e), high: est(e * 4) });
    const generatorScores = [
      { generator: 'a', solve: solve(1), judge: judged(3, 6, 12) },
      { generator: 'b', solve: solve(2), judge: judged(3, 6, 12) },
    ];
    const b = sweepBreakdown({ cells, baselines, generatorScores, judgeGenerator: 'a' });
    expect(b.generatorScores).toEqual({ low: 1.5 + 6, expected: 3 + 12, high: 12 + 24 });
    expect(b.generatorSubjects?.[1]).toEqual({
      generator: 'b',
      solve: { low: 1, expected: 2, high: 8 },
      judge: { low: 3, expected: 6, high: 12 },
      solveCalls: 20,
      judgeCalls: 1805,
    });
    expect(b.total.expected).toBe(5 + 20 + 10 + 15);
    expect(apiSpend(b).expected).toBe(5 + 20 + 10 + 15);
    expect(generatorSpend(b, 'b')).toMatchObject({ solve: { expected: 2 }, judge: { expected: 0 }, total: { expected: 3 + 2 } });
    expect(generatorSpend(b, 'a')).toMatchObject({ solve: { expected: 1 }, judge: { expected: 20 + 10 + 12 }, total: { expected: 2 + 42 + 1 } });
    // Off: no line, nothing added.
    expect(sweepBreakdown({ cells, baselines }).generatorScores).toBeUndefined();
  });
});
