import { describe, expect, it } from 'vitest';
import type { RunSnapshot } from '../snapshot.js';
import { affordableCells, affordableText } from './affordable-cells.js';
import { projectCosts } from './cost-projection.js';
import { allStatesRun, cell, gen } from './test-fixtures.js';

const reserved = { generationByGenerator: {}, judgeCellsUsd: 0, baselinesUsd: 0 };

/** Generator a made 100 instances for $1 ($0.01 each); its other cells wait with 100 each to make. */
function run(extra: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    ...allStatesRun(),
    budgetUsd: 4,
    spentUsd: 1,
    reservedUsd: 0.5,
    generators: [gen('a', [1, 1], { spentUsd: 1, reservedUsd: 0.5 }), gen('b', [2, 2])],
    evaluation: { baselinesUsd: 0, reserved },
    cells: [
      cell(1, 'a', 'math/instance', { stage: 'train', state: 'running', accepted: 100, target: 100, costUsd: 1 }),
      cell(2, 'a', 'code/instance', { target: 100 }),
      cell(3, 'b', 'math/instance', { target: 100 }),
      cell(4, 'a', 'inst/instance', { target: 50 }),
    ],
    ...extra,
  };
}

describe('affordableCells', () => {
  it('fills the money left with the cheapest cells first', () => {
    const r = run();
    const a = affordableCells(r, projectCosts(r));
    // $2.50 left: a inst ($0.50), a code ($1.00) fit; b math ($2.00, twice a's price) does not.
    expect(a).toEqual({ freeUsd: 2.5, unfinished: 3, finishes: ['a inst/instance', 'a code/instance'], unknown: 0 });
    expect(affordableText(a)).toBe('the remaining $2.50 finishes 2 of 3 unfinished cells, cheapest first: a inst/instance, a code/instance');
  });

  it('keeps each cell within its generator cap too', () => {
    const r = run({ generators: [gen('a', [1, 1], { spentUsd: 1, reservedUsd: 0.5, capUsd: 2.2 }), gen('b', [2, 2])], budgetUsd: 10 });
    // a's cap leaves $0.70: its inst cell ($0.50) fits, its code cell ($1.00) no longer does.
    expect(affordableCells(r, projectCosts(r)).finishes).toEqual(['a inst/instance', 'b math/instance']);
  });

  it('says all when every cell fits, and counts cells with no estimate apart', () => {
    const r = run({ budgetUsd: 100 });
    expect(affordableText(affordableCells(r, projectCosts(r)))).toBe('the remaining $98.50 finishes all 3 unfinished cells');
    // Without any measured cost nor plan, nothing can be said of the cells.
    const fresh = run({ budgetUsd: 100, cells: r.cells.slice(1) });
    const a = affordableCells(fresh, projectCosts(fresh));
    expect(a).toMatchObject({ unfinished: 3, unknown: 3, finishes: [] });
  });
});
