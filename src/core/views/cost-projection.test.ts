import { describe, expect, it } from 'vitest';
import { ALL_SETTINGS } from '../setting.js';
import type { RunSnapshot } from '../snapshot.js';
import { allStatesRun, cell, gen } from './test-fixtures.js';
import { projectCosts } from './cost-projection.js';

const [mi, ci] = ALL_SETTINGS;

function run(partial: Partial<RunSnapshot>): RunSnapshot {
  return { ...allStatesRun(), ...partial };
}

describe('projectCosts', () => {
  it('projects from the cost per accepted instance so far', () => {
    const r = run({
      spentUsd: 10,
      generators: [gen('a', [1, 1], { spentUsd: 10 })],
      cells: [cell(1, 'a', mi!, { state: 'running', accepted: 1000, costUsd: 10 }), cell(2, 'a', ci!)],
    });
    const p = projectCosts(r);
    expect(p.basis).toBe('measured');
    expect(p.costPerInstance).toBeCloseTo(0.01);
    // 9,000 + 10,000 instances to go at $0.01.
    expect(p.byGenerator[0]?.remainingUsd).toBeCloseTo(190);
    expect(p.projectedUsd).toBeCloseTo(200);
  });

  it('does not count dropped seed items as work left', () => {
    const r = run({
      spentUsd: 10,
      generators: [gen('a', [1, 1], { spentUsd: 10 })],
      cells: [cell(1, 'a', mi!, { state: 'running', accepted: 1000, target: 1100, dropped: 60, costUsd: 10 })],
    });
    // 1,100 planned, 1,000 made, 60 dropped: 40 to go at $0.01.
    expect(projectCosts(r).byGenerator[0]?.remainingUsd).toBeCloseTo(0.4);
  });

  it('borrows another generator rate scaled by token price when one has nothing accepted', () => {
    const r = run({
      spentUsd: 10,
      generators: [gen('a', [1, 1], { spentUsd: 10 }), gen('b', [2, 2])],
      cells: [cell(1, 'a', mi!, { state: 'done', stage: 'score', accepted: 10_000, costUsd: 10 }), cell(2, 'b', mi!)],
    });
    const b = projectCosts(r).byGenerator[1];
    expect(b?.basis).toBe('price-scaled');
    expect(b?.costPerInstance).toBeCloseTo(0.002);
    expect(b?.projectedUsd).toBeCloseTo(20);
  });

  it('falls back to the plan before any spending, and says when there is neither', () => {
    const fresh = run({ spentUsd: 0, generators: [gen('a', [1, 1])], cells: [cell(1, 'a', mi!)] });
    expect(projectCosts({ ...fresh, plannedUsd: { low: 1, expected: 2, high: 3 } })).toMatchObject({ basis: 'planned', projectedUsd: 2 });
    const none = projectCosts(fresh);
    expect(none.basis).toBe('none');
    expect(none.projectedUsd).toBeUndefined();
  });

  it('projects GPU cost from the cells that finished training', () => {
    const r = run({
      generators: [gen('a', [1, 1])],
      cells: [
        cell(1, 'a', mi!, { stage: 'evaluate', state: 'running', accepted: 10_000, costUsd: 5, gpuCostUsd: 8 }),
        cell(2, 'a', ci!, { stage: 'train', state: 'running', accepted: 10_000, costUsd: 5 }),
      ],
    });
    const p = projectCosts(r);
    expect(p.gpuUsd).toBe(8);
    expect(p.remainingGpuUsd).toBe(8);
  });
});

describe('projectCosts: every stage still to come (issue 12)', () => {
  const judge = { id: 'j', model: 'judge-model', price: { input: 2.5, output: 10 }, isGenerator: false };
  const reserved = { generationByGenerator: {}, judgeCellsUsd: 0, baselinesUsd: 0 };
  const range = (expected: number) => ({ low: expected / 2, expected, high: expected * 2 });
  const planCell = (generator: string, setting: string, generation: number, judgeUsd: number, gpu = 0) => ({
    generator,
    setting,
    generation: range(generation),
    judge: range(judgeUsd),
    gpu: range(gpu),
  });
  const breakdown = (cells: ReturnType<typeof planCell>[], baselineJudge: number, baselineGpu = 0) => ({
    total: range(0),
    generation: range(cells.reduce((s, c) => s + c.generation.expected, 0)),
    judge: range(cells.reduce((s, c) => s + c.judge.expected, 0)),
    gpu: range(0),
    baselines: range(0),
    cells,
    baselineSubjects: [
      { subject: 'base', judge: range(baselineJudge / 2), gpu: range(baselineGpu / 2) },
      { subject: 'reference', judge: range(baselineJudge / 2), gpu: range(baselineGpu / 2) },
    ],
  });

  it('projects judging per judged cell still to evaluate from what judging one student has cost', () => {
    const r = run({
      spentUsd: 8.4,
      generators: [gen('a', [1, 1], { spentUsd: 4 })],
      evaluation: { judge, baselinesUsd: 0.4, reserved },
      cells: [
        cell(1, 'a', 'inst/instance', { stage: 'score', state: 'done', accepted: 100, target: 100, costUsd: 4, generationCostUsd: 1, judgeCostUsd: 3 }),
        cell(2, 'a', 'inst/response', { stage: 'evaluate', state: 'running', accepted: 100, target: 100, costUsd: 3, generationCostUsd: 2, judgeCostUsd: 1 }),
        cell(3, 'a', 'inst/quality', { target: 100 }),
        cell(4, 'a', 'math/instance', { stage: 'train', state: 'running', accepted: 100, target: 100, costUsd: 1, generationCostUsd: 1 }),
      ],
    });
    const p = projectCosts(r);
    // Cell 2 has $1 of its $3 judged; cell 3 all $3 of it. Baselines were judged with cell 1's score.
    expect(p.judge).toEqual({ spentUsd: 4, remainingUsd: 5, basis: 'measured' });
    expect(p.baselines).toMatchObject({ spentUsd: 0.4, remainingUsd: 0 });
    // Cell 3 (quality) has no quality rate to go by: its generator's $4 over 300 instances.
    expect(p.generation.remainingUsd).toBeCloseTo(100 * (4 / 300));
    expect(p.projectedUsd).toBeCloseTo(8.4 + 4 / 3 + 5);
    expect(p.missing).toEqual([]);
    // $/1k inst counts generation only: $4 over 300, not $11 over 300.
    expect(p.costPerInstance).toBeCloseTo(4 / 300);
  });

  it('takes judging and the baselines from the plan before any student is evaluated', () => {
    const r = run({
      spentUsd: 0.5,
      generators: [gen('a', [1, 1], { spentUsd: 0.5 })],
      evaluation: { judge, baselinesUsd: 0, reserved },
      planBreakdown: breakdown([planCell('a', 'inst/instance', 1, 1)], 0.6),
      cells: [cell(1, 'a', 'inst/instance', { state: 'running', accepted: 50, target: 100, costUsd: 0.5, generationCostUsd: 0.5 })],
    });
    const p = projectCosts(r);
    expect(p.judge).toEqual({ spentUsd: 0, remainingUsd: 1, basis: 'planned' });
    expect(p.baselines).toEqual({ spentUsd: 0, remainingUsd: 0.6, basis: 'planned' });
    // 0.5 spent + 50 instances at $0.01 + $1 judging + $0.60 baselines.
    expect(p.projectedUsd).toBeCloseTo(2.6);
  });

  it('before any spending is the plan: generation, judging and baselines, GPU apart', () => {
    const r = run({
      spentUsd: 0,
      generators: [gen('a', [1, 1])],
      evaluation: { judge, baselinesUsd: 0, reserved },
      planBreakdown: breakdown([planCell('a', 'inst/instance', 3, 1, 5)], 0.6, 2),
      cells: [cell(1, 'a', 'inst/instance', { target: 100 })],
    });
    const p = projectCosts(r);
    expect(p.basis).toBe('planned');
    expect(p.projectedUsd).toBeCloseTo(4.6);
    expect(p.planned?.high).toBeCloseTo(9.2);
    // The cell's planned GPU ($5) and the baselines' ($2).
    expect(p.remainingGpuUsd).toBeCloseTo(7);
  });

  it('projects response generation from what it has cost once it runs, not from instance generation', () => {
    const r = run({
      spentUsd: 1.1,
      generators: [gen('a', [1, 1], { spentUsd: 1.1 })],
      planBreakdown: breakdown([planCell('a', 'math/response', 0, 0)], 0),
      cells: [
        cell(1, 'a', 'math/instance', { stage: 'score', state: 'done', accepted: 1000, target: 1000, costUsd: 1 }),
        cell(2, 'a', 'code/response', { state: 'running', accepted: 10, target: 1000, costUsd: 0.1 }),
        cell(3, 'a', 'math/response', { target: 1000 }),
      ],
    });
    const cells = projectCosts(r).cells;
    // $0.01 per response (cell 2's rate), not $0.001 (instance generation) nor the plan's $0.
    expect(cells.find((c) => c.cellId === 3)?.generationRemainingUsd).toBeCloseTo(10);
    expect(cells.find((c) => c.cellId === 2)?.generationRemainingUsd).toBeCloseTo(9.9);
  });

  it('charges the judging to come to the judge generator, whose cap holds both', () => {
    const r = run({
      spentUsd: 2,
      generators: [gen('a', [1, 1], { spentUsd: 2, capUsd: 5 }), gen('b', [1, 1])],
      evaluation: { judge: { ...judge, id: 'a', isGenerator: true }, baselinesUsd: 0, reserved },
      planBreakdown: breakdown([planCell('a', 'inst/instance', 2, 1.5), planCell('b', 'inst/instance', 2, 1.5)], 1),
      cells: [
        cell(1, 'a', 'inst/instance', { state: 'running', accepted: 50, target: 100, costUsd: 2, generationCostUsd: 2 }),
        cell(2, 'b', 'inst/instance', { target: 100 }),
      ],
    });
    const [a, b] = projectCosts(r).byGenerator;
    // a: $2 spent + 50 instances at $0.04 + judging both cells ($3) + the baselines ($1).
    expect(a?.projectedUsd).toBeCloseTo(2 + 2 + 3 + 1);
    expect(a?.generationProjectedUsd).toBeCloseTo(4);
    // b borrows a's instance rate by price: 100 x $0.04; its students are judged on a's cap.
    expect(b?.projectedUsd).toBeCloseTo(4);
    expect(b?.judgeRemainingUsd).toBeCloseTo(1.5);
  });
});
