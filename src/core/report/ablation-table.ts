import { DOMAINS, METHODS } from '../setting.js';
import { averageOf, cellValue, TABLE2_COLUMNS, type Table2Column } from './tables.js';
import type { ReportCell, ReportValue } from './report-model.js';

export interface AblationRow {
  readonly generator: string;
  /** The meta-prompt variant the row's data was generated with. */
  readonly variant: string;
  readonly values: readonly ReportValue[];
  /** Mean PGR over the settings the sweep has, in this variant (the paper's Table 5 compares these). */
  readonly average: ReportValue;
}

export interface AblationTable {
  readonly columns: readonly Table2Column[];
  readonly rows: readonly AblationRow[];
}

/**
 * The meta-prompt ablation (the paper's Table 5): for each generator, one row per variant of
 * `metaPrompt` (the list's first is the main sweep's, whose cells have plain settings; the
 * others' cells are `setting@variant`), laid out as Table 2, with the mean over the sweep's
 * settings last. Undefined when metaPrompt is one choice: there is nothing to compare.
 */
export function buildAblationTable(input: {
  readonly generators: readonly { readonly id: string }[];
  readonly settings: readonly string[];
  readonly cells: readonly ReportCell[];
  readonly metaPrompts: readonly string[];
}): AblationTable | undefined {
  if (input.metaPrompts.length < 2) return undefined;
  const byKey = new Map(input.cells.map((c) => [`${c.generator}\t${c.setting}`, c]));
  const rows = input.generators.flatMap((g) =>
    input.metaPrompts.map((variant, i): AblationRow => {
      const at = (setting: string) => byKey.get(`${g.id}\t${i === 0 ? setting : `${setting}@${variant}`}`);
      const values: ReportValue[] = [];
      for (const method of METHODS) {
        const domainValues = DOMAINS.map((d) => cellValue(at(`${d}/${method}`)));
        values.push(...domainValues, averageOf(domainValues, [...DOMAINS]));
      }
      const average = averageOf(
        input.settings.map((s) => cellValue(at(s))),
        input.settings,
      );
      return { generator: g.id, variant, values, average };
    }),
  );
  return { columns: TABLE2_COLUMNS, rows };
}
