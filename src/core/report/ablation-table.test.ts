import { describe, expect, it } from 'vitest';
import { buildAblationTable } from './ablation-table.js';
import type { ReportCell } from './report-model.js';
import type { SettingId } from '../setting.js';

function cell(generator: string, setting: string, pgr?: number): ReportCell {
  return {
    generator,
    setting: setting as SettingId,
    stage: 'score',
    state: pgr === undefined ? 'running' : 'done',
    generationCostUsd: 0,
    judgeCostUsd: 0,
    ...(pgr !== undefined && { scores: { benchmarks: {}, pgrByBenchmark: {}, pgr: { value: pgr } } }),
  };
}

describe('the meta-prompt ablation table (Table 5)', () => {
  const settings = ['math/instance', 'code/instance'];

  it('has one row per generator and variant, the main variant read from the plain settings', () => {
    const t = buildAblationTable({
      generators: [{ id: 'g' }],
      settings,
      metaPrompts: ['default', 'json'],
      cells: [cell('g', 'math/instance', 40), cell('g', 'code/instance', 20), cell('g', 'math/instance@json', 30), cell('g', 'code/instance@json', 10)],
    })!;
    expect(t.rows.map((r) => [r.generator, r.variant])).toEqual([
      ['g', 'default'],
      ['g', 'json'],
    ]);
    // Columns: instance's math, code, inst and their average first.
    expect(t.rows[0]!.values[0]).toEqual({ kind: 'value', value: 40 });
    expect(t.rows[1]!.values[0]).toEqual({ kind: 'value', value: 30 });
    expect(t.rows[1]!.values[1]).toEqual({ kind: 'value', value: 10 });
    expect(t.rows[0]!.average).toEqual({ kind: 'value', value: 30 });
    expect(t.rows[1]!.average).toEqual({ kind: 'value', value: 20 });
  });

  it('says which setting is missing from a variant average, and is absent without a list', () => {
    const t = buildAblationTable({
      generators: [{ id: 'g' }],
      settings,
      metaPrompts: ['json', 'default'],
      cells: [cell('g', 'math/instance', 40), cell('g', 'code/instance', 20), cell('g', 'math/instance@default', 30), cell('g', 'code/instance@default')],
    })!;
    expect(t.rows[1]).toMatchObject({ variant: 'default', average: { kind: 'reason', reason: 'needs all 2; missing code/instance' } });
    expect(buildAblationTable({ generators: [{ id: 'g' }], settings, metaPrompts: ['default'], cells: [] })).toBeUndefined();
  });
});
