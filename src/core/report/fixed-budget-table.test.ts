import { describe, expect, it } from 'vitest';
import { buildFixedBudgetTable } from './fixed-budget-table.js';
import type { ReportCell } from './report-model.js';
import type { SettingId } from '../setting.js';

function cell(generator: string, setting: string, o: { pgr?: number; accepted?: number; cost?: number; stage?: ReportCell['stage'] } = {}): ReportCell {
  return {
    generator,
    setting: setting as SettingId,
    stage: o.stage ?? (o.pgr === undefined ? 'train' : 'score'),
    state: o.pgr === undefined ? 'running' : 'done',
    generationCostUsd: o.cost ?? 0,
    judgeCostUsd: 0,
    ...(o.accepted !== undefined && { generated: { accepted: o.accepted, target: o.accepted, dropped: 0 } }),
    ...(o.pgr !== undefined && { scores: { benchmarks: {}, pgrByBenchmark: {}, pgr: { value: o.pgr } } }),
  };
}

describe('the fixed-budget table (Figure 7)', () => {
  it('reads per amount and generator what was bought and the PGR it gave, marking a floor', () => {
    const t = buildFixedBudgetTable({
      generators: [{ id: 'cheap' }, { id: 'dear' }],
      settings: ['math/instance'],
      budgetsUsd: [5],
      cells: [
        cell('cheap', 'math/instance', { pgr: 50, accepted: 100, cost: 2 }),
        cell('cheap', 'math/instance@usd5', { pgr: 48, accepted: 100 }),
        cell('dear', 'math/instance', { pgr: 60, accepted: 100, cost: 20 }),
        cell('dear', 'math/instance@usd5', { pgr: 30, accepted: 25 }),
      ],
    })!;
    expect(t.rows.map((r) => [r.usd, r.generator])).toEqual([
      [5, 'cheap'],
      [5, 'dear'],
    ]);
    // $5 would buy 250 of cheap's $0.02 instances; it holds 100: a floor.
    expect(t.rows[0]!.entries[0]).toEqual({ pgr: { kind: 'value', value: 48 }, instances: 100, of: 100, floor: true });
    expect(t.rows[1]!.entries[0]).toEqual({ pgr: { kind: 'value', value: 30 }, instances: 25, of: 100, floor: false });
    expect(t.rows[1]!.average).toEqual({ kind: 'value', value: 30 });
  });

  it('shows a cell still waiting without a count, and is absent without amounts', () => {
    const t = buildFixedBudgetTable({
      generators: [{ id: 'g' }],
      settings: ['math/instance'],
      budgetsUsd: [1],
      cells: [cell('g', 'math/instance', { accepted: 10, cost: 1 }), cell('g', 'math/instance@usd1', { accepted: 0, stage: 'generate' })],
    })!;
    expect(t.rows[0]!.entries[0]).toMatchObject({ of: 10, floor: false, pgr: { kind: 'empty' } });
    expect(t.rows[0]!.entries[0]).not.toHaveProperty('instances');
    expect(buildFixedBudgetTable({ generators: [{ id: 'g' }], settings: ['math/instance'], budgetsUsd: [], cells: [] })).toBeUndefined();
  });
});
