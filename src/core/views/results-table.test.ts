import { describe, expect, it } from 'vitest';
import { allStatesRun, cell, gen, scored } from './test-fixtures.js';
import type { SettingId } from '../setting.js';
import { buildResultsTable, isBest, RESULTS_COLUMNS } from './results-table.js';

describe('buildResultsTable', () => {
  it('orders columns as Table 2: per method three domains then the average', () => {
    expect(RESULTS_COLUMNS.map((c) => `${c.method}:${c.domain ?? 'avg'}`).slice(0, 5)).toEqual([
      'instance:math',
      'instance:code',
      'instance:inst',
      'instance:avg',
      'response:math',
    ]);
    expect(RESULTS_COLUMNS).toHaveLength(12);
  });

  it('averages a method only over all three domains and marks ties as best', () => {
    const s = (d: string) => `${d}/instance` as SettingId;
    const table = buildResultsTable({
      ...allStatesRun(),
      generators: [gen('a', [1, 1]), gen('b', [1, 1])],
      cells: [
        cell(1, 'a', s('math'), scored(40)),
        cell(2, 'a', s('code'), scored(50)),
        cell(3, 'a', s('inst'), scored(60)),
        cell(4, 'b', s('math'), scored(40)),
        cell(5, 'b', s('code'), scored('no baseline')),
      ],
    });
    expect(table.hasScores).toBe(true);
    expect(table.rows[0]?.values[3]).toEqual({ kind: 'value', value: 50 });
    expect(table.rows[1]?.values[3]).toEqual({ kind: 'empty' });
    expect(table.rows[1]?.values[1]).toEqual({ kind: 'reason', reason: 'no baseline' });
    expect(isBest(table, 0, 0)).toBe(true);
    expect(isBest(table, 1, 0)).toBe(true);
    expect(isBest(table, 0, 1)).toBe(true);
    expect(isBest(table, 1, 1)).toBe(false);
    expect(table.best[4]).toBeUndefined();
    expect(table.reasons).toEqual([{ generatorId: 'b', setting: 'code/instance', reason: 'no baseline' }]);
  });

  it('reports no scores for an unscored run', () => {
    const run = allStatesRun();
    const table = buildResultsTable({ ...run, cells: run.cells.map((c) => cell(c.id, c.generator, c.setting)) });
    expect(table.hasScores).toBe(false);
    expect(table.best.every((b) => b === undefined)).toBe(true);
  });
});
