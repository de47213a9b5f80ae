import type { PgrValue } from '../snapshot.js';
import type { ReportInput } from './report-model.js';

/**
 * One generator on the paper's cost-against-PGR figure: what its data cost, and the mean PGR
 * of the settings scored so far. `meanPgr` is absent until a setting has a PGR: a generator
 * without one is listed, never plotted at zero.
 */
export interface CostPgrSummary {
  readonly generator: string;
  readonly costUsd: number;
  readonly meanPgr?: number;
  /** Settings with a PGR, of `settings` in the sweep: a mean of 2 of 9 reads differently from 9 of 9. */
  readonly scored: number;
  readonly settings: number;
  /** Of the scored, how many carry a flag (a PGR that cannot be read as recovery). */
  readonly flagged: number;
}

/** `pgrs`: one entry per setting of the sweep, undefined where the cell is not scored yet. */
export function summarizeCostPgr(generator: string, costUsd: number, pgrs: readonly (PgrValue | undefined)[]): CostPgrSummary {
  const values = pgrs.flatMap((p) => (p && 'value' in p ? [p] : []));
  const base = { generator, costUsd, scored: values.length, settings: pgrs.length, flagged: values.filter((v) => v.flag !== undefined).length };
  if (values.length === 0) return base;
  return { ...base, meanPgr: values.reduce((a, v) => a + v.value, 0) / values.length };
}

/** `2/3 settings`, `3/3 settings, 1 flagged`: how much a mean stands on. */
export function coverageNote(s: CostPgrSummary): string {
  return `${s.scored}/${s.settings} setting${s.settings === 1 ? '' : 's'}${s.flagged > 0 ? `, ${s.flagged} flagged` : ''}`;
}

/** Per generator in the report: the API cost of its data (its own generation calls; the judge's are apart) and its mean PGR. */
export function reportCostPgr(input: Pick<ReportInput, 'generators' | 'settings' | 'cells'>): CostPgrSummary[] {
  return input.generators.map((g) => {
    const cells = input.cells.filter((c) => c.generator === g.id);
    const cost = cells.reduce((a, c) => a + c.generationCostUsd, 0);
    return summarizeCostPgr(
      g.id,
      cost,
      input.settings.map((s) => cells.find((c) => c.setting === s)?.scores?.pgr),
    );
  });
}
