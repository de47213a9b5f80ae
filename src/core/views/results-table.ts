import type { RunSnapshot } from '../snapshot.js';
import { DOMAINS, METHODS, type Domain, type Method, type SettingId } from '../setting.js';

export type ResultValue =
  { readonly kind: 'value'; readonly value: number } | { readonly kind: 'reason'; readonly reason: string } | { readonly kind: 'empty' };

export interface ResultsColumn {
  readonly method: Method;
  /** Undefined for the method's average over its three domains. */
  readonly domain?: Domain;
}

export interface ResultsRow {
  readonly generatorId: string;
  /** One per column, in `columns` order. */
  readonly values: readonly ResultValue[];
}

export interface ResultsTable {
  /** The paper's Table 2 order: per method, its three domains then the method average. */
  readonly columns: readonly ResultsColumn[];
  readonly rows: readonly ResultsRow[];
  /** Highest value per column (undefined where the column has none). */
  readonly best: readonly (number | undefined)[];
  /** False when no cell of the run has been scored yet. */
  readonly hasScores: boolean;
  /** Cells scored without a PGR, with the reason, for footnotes. */
  readonly reasons: readonly { readonly generatorId: string; readonly setting: SettingId; readonly reason: string }[];
}

export const RESULTS_COLUMNS: readonly ResultsColumn[] = METHODS.flatMap((method) => [...DOMAINS.map((domain) => ({ method, domain })), { method }]);

const EMPTY: ResultValue = { kind: 'empty' };

/** A method's average is the mean over its three domains (paper), so it needs all three. */
export function methodAverage(values: readonly ResultValue[]): ResultValue {
  const nums: number[] = [];
  for (const v of values) {
    if (v.kind !== 'value') return EMPTY;
    nums.push(v.value);
  }
  if (nums.length === 0) return EMPTY;
  return { kind: 'value', value: nums.reduce((a, b) => a + b, 0) / nums.length };
}

export function buildResultsTable(run: RunSnapshot): ResultsTable {
  const byKey = new Map<string, ResultValue>();
  const reasons: { generatorId: string; setting: SettingId; reason: string }[] = [];
  let hasScores = false;
  for (const c of run.cells) {
    const pgr = c.scores?.pgr;
    if (!pgr) continue;
    hasScores = true;
    if ('value' in pgr) {
      byKey.set(`${c.generator}\t${c.setting}`, { kind: 'value', value: pgr.value });
    } else {
      byKey.set(`${c.generator}\t${c.setting}`, { kind: 'reason', reason: pgr.reason });
      reasons.push({ generatorId: c.generator, setting: c.setting, reason: pgr.reason });
    }
  }

  const rows = run.generators.map((g): ResultsRow => {
    const values: ResultValue[] = [];
    for (const method of METHODS) {
      const domainValues = DOMAINS.map((d) => byKey.get(`${g.id}\t${d}/${method}`) ?? EMPTY);
      values.push(...domainValues, methodAverage(domainValues));
    }
    return { generatorId: g.id, values };
  });

  const best = RESULTS_COLUMNS.map((_, col) => {
    let max: number | undefined;
    for (const r of rows) {
      const v = r.values[col];
      if (v?.kind === 'value' && (max === undefined || v.value > max)) max = v.value;
    }
    return max;
  });

  return { columns: RESULTS_COLUMNS, rows, best, hasScores, reasons };
}

/** Ties are all marked best. */
export function isBest(table: ResultsTable, row: number, col: number): boolean {
  const v = table.rows[row]?.values[col];
  const best = table.best[col];
  return v?.kind === 'value' && best !== undefined && v.value === best;
}
