import { describe, expect, it } from 'vitest';
import type { RunSnapshot } from '../snapshot.js';
import { capWarnings } from './cap-warnings.js';
import { projectCosts } from './cost-projection.js';
import { allStatesRun, cell, gen } from './test-fixtures.js';

/** One generator with a $10 cap in a $100 run; `done` instances of 1,000 made at $0.01 each. */
function run(o: { runSpent: number; runReserved?: number; genSpent: number; genReserved?: number; done?: number }): RunSnapshot {
  const done = o.done ?? 1000;
  return {
    ...allStatesRun(),
    budgetUsd: 100,
    spentUsd: o.runSpent,
    reservedUsd: o.runReserved ?? 0,
    generators: [gen('a', [1, 1], { spentUsd: o.genSpent, reservedUsd: o.genReserved ?? 0, capUsd: 10 })],
    cells: [
      cell(1, 'a', 'math/instance', {
        state: done < 1000 ? 'running' : 'done',
        stage: done < 1000 ? 'generate' : 'train',
        accepted: done,
        target: 1000,
        costUsd: done * 0.01,
      }),
    ],
  };
}

const warn = (r: RunSnapshot) => capWarnings(r, projectCosts(r));

describe('capWarnings', () => {
  it('says nothing below 80% of every cap with the projection under them', () => {
    expect(warn(run({ runSpent: 7.9, genSpent: 7.9, done: 790 }))).toEqual([]);
  });

  it('counts reserved money with spent: 7.5 + 0.5 of a $10 cap is 80%', () => {
    const [w] = warn(run({ runSpent: 7.5, genSpent: 7.5, genReserved: 0.5, runReserved: 0.5, done: 750 }));
    expect(w).toMatchObject({ scope: 'a', threshold: 80, usedUsd: 8, capUsd: 10 });
    expect(w?.text).toBe('cap of a: 80% used ($8.00 of $10.00, reserved included)');
    expect(w?.short).toBe('a 80% of cap');
  });

  it('says 95% and reached, the run budget apart from the generator cap, most severe first', () => {
    expect(warn(run({ runSpent: 9.6, genSpent: 9.6 }))[0]).toMatchObject({ scope: 'a', threshold: 95 });
    const both = warn({ ...run({ runSpent: 10, genSpent: 10 }), budgetUsd: 12 });
    expect(both.map((w) => [w.scope, w.threshold])).toEqual([
      ['a', 100],
      ['*', 80],
    ]);
    expect(both[1]?.text).toBe('run budget: 83% used ($10.00 of $12.00, reserved included)');
  });

  it('says when the projection to finish passes a cap before spending reaches 80%', () => {
    // 300 of 1,000 made for $3: the other 700 at $0.01 project $10 + a bit over the $10 cap.
    const r = run({ runSpent: 3.5, genSpent: 3.5, done: 300 });
    const cells = r.cells.map((c) => ({ ...c, costUsd: 3.5 }));
    const [w] = warn({ ...r, cells });
    expect(w).toMatchObject({ scope: 'a', projectedUsd: 3.5 + 700 * (3.5 / 300) });
    expect(w?.threshold).toBeUndefined();
    expect(w?.text).toBe('cap of a: $3.50 of $10.00 used · projected $11.67 passes it');
    expect(w?.short).toBe('a proj. > cap');
  });
});
