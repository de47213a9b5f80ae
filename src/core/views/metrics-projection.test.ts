import { describe, expect, it } from 'vitest';
import type { CellPlanCost, PlanBreakdown } from '../plan-breakdown.js';
import type { RunSnapshot } from '../snapshot.js';
import { projectCosts } from './cost-projection.js';
import { allStatesRun, cell, gen } from './test-fixtures.js';

const r = (x: number) => ({ low: x, expected: x, high: x });
const zero = r(0);

function planCell(setting: string, metrics: number): CellPlanCost {
  return { generator: 'a', setting, generation: r(10), judge: zero, gpu: zero, metrics: r(metrics), metricsJudge: r(metrics) };
}

function breakdown(cells: CellPlanCost[], solve: number): PlanBreakdown {
  return {
    total: zero,
    generation: r(10 * cells.length),
    judge: zero,
    gpu: zero,
    baselines: zero,
    cells,
    baselineSubjects: [],
    metrics: r(cells.reduce((s, c) => s + c.metrics!.expected, 0)),
    generatorScores: r(solve),
    generatorSubjects: [{ generator: 'a', solve: r(solve), judge: zero, solveCalls: 10, judgeCalls: 0 }],
  };
}

describe('the projection counts the metrics stage and the generators’ own scores', () => {
  const base = (extra: Partial<RunSnapshot>): RunSnapshot => ({ ...allStatesRun(), generators: [gen('a', [1, 1])], ...extra });

  it('before any spending: the plan’s API spend with both', () => {
    const p = projectCosts(base({ spentUsd: 0, cells: [cell(1, 'a', 'math/instance')], planBreakdown: breakdown([planCell('math/instance', 4)], 3) }));
    expect(p.basis).toBe('planned');
    // Generation 10 + metrics 4 + the generator's own answers 3.
    expect(p.projectedUsd).toBeCloseTo(17, 9);
  });

  it('once spending: what each cell’s metrics still need (a running job’s share measured), and the own scores until a cell is scored', () => {
    const cells = [
      cell(1, 'a', 'math/instance', { stage: 'generate', state: 'done', accepted: 10, target: 10, costUsd: 10 }),
      cell(2, 'a', 'math/response', {
        stage: 'metrics',
        state: 'running',
        accepted: 10,
        target: 10,
        costUsd: 10,
        progress: { stage: 'metrics', done: 30, total: 40 },
      }),
      cell(3, 'a', 'math/quality', { stage: 'metrics', state: 'done', accepted: 10, target: 10, costUsd: 10 }),
    ];
    const plan = breakdown([planCell('math/instance', 4), planCell('math/response', 4), planCell('math/quality', 4)], 3);
    const p = projectCosts(base({ spentUsd: 30, cells, planBreakdown: plan }));
    expect(p.basis).toBe('measured');
    // Spent 30; metrics to come: 4 (not started) + 1 (a quarter of 4 left) + 0; no cell scored yet, so the own scores' 3 too.
    expect(p.projectedUsd).toBeCloseTo(38, 9);
    // Once a cell is scored, its score job has evaluated the generators.
    const scoredCells = cells.map((c) => (c.id === 3 ? { ...c, scores: { benchmarks: {}, pgrByBenchmark: {}, pgr: { value: 50 } } } : c));
    expect(projectCosts(base({ spentUsd: 30, cells: scoredCells, planBreakdown: plan })).projectedUsd).toBeCloseTo(35, 9);
  });
});
