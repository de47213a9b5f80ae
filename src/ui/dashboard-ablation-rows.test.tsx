import { afterEach, describe, expect, it } from 'vitest';
import type { RunSnapshot } from '../core/snapshot.js';
import { cellGrid } from './cell-grid.js';
import { cell, gen, scored, T0 } from './testing/fixtures.js';
import { renderDashboard, type DashboardHarness } from './testing/render-dashboard.js';

let h: DashboardHarness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

function ablationRun(): RunSnapshot {
  return {
    name: 'ablation',
    runDir: '/tmp/ablation',
    budgetUsd: 100,
    spentUsd: 3,
    reservedUsd: 0,
    orphanedUsd: 0,
    generators: [gen('gpt-4o-mini', [0.15, 0.6], { spentUsd: 3 }), gen('claude', [3, 15])],
    settings: ['math/instance', 'code/instance'],
    variants: ['json'],
    cells: [
      cell(1, 'gpt-4o-mini', 'math/instance', scored(41.5)),
      cell(2, 'gpt-4o-mini', 'code/instance'),
      cell(3, 'gpt-4o-mini', 'math/instance@json' as 'math/instance', scored(12.4)),
      cell(4, 'claude', 'code/instance@json' as 'code/instance', scored(7)),
    ],
    paused: false,
    readOnly: false,
    takenAt: T0,
  } as RunSnapshot;
}

describe('the meta-prompt ablation in the matrix', () => {
  it('gives each generator a row per variant, with the ablation cells under their setting', () => {
    const grid = cellGrid(ablationRun());
    expect(grid.rows).toBe(4);
    expect([0, 1, 2, 3].map((r) => `${grid.row(r)?.generator.id}@${grid.row(r)?.variant ?? ''}`)).toEqual([
      'gpt-4o-mini@',
      'gpt-4o-mini@json',
      'claude@',
      'claude@json',
    ]);
    expect(grid.at(1, 0)?.id).toBe(3);
    expect(grid.at(0, 0)?.id).toBe(1);
    expect(grid.at(3, 1)?.id).toBe(4);
    expect(grid.at(2, 1)).toBeUndefined();
  });

  it('draws the variant rows under their generator, the spending once', async () => {
    h = await renderDashboard(ablationRun(), { width: 100, height: 30 });
    const lines = h.lines();
    const main = lines.findIndex((l) => l.startsWith('gpt-4o-mini '));
    const json = lines.findIndex((l) => l.startsWith('gpt-4o-mini@json '));
    expect(main).toBeGreaterThan(0);
    expect(json).toBe(main + 2);
    expect(lines[main]).toContain('41.5');
    expect(lines[json]).toContain('12.4');
    expect(lines[main + 1]).toMatch(/^\$3\.00/);
    expect(lines[json + 1]).not.toMatch(/\$/);
    expect(lines.some((l) => l.startsWith('claude@json ') && l.includes('7.0'))).toBe(true);
  });
});
