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
