import { budgetVariant } from '../run-config.js';
import { averageOf, cellValue } from './tables.js';
import type { ReportCell, ReportValue } from './report-model.js';

export interface FixedBudgetEntry {
  readonly pgr: ReportValue;
  /** Instances the amount bought (the prefix trained on), once the cell has taken it. */
  readonly instances?: number;
  /** The main cell's accepted instances: what there was to buy from. */
  readonly of?: number;
  /** The amount would buy more than the main cell holds: this PGR is a floor of what it buys. */
  readonly floor: boolean;
}

export interface FixedBudgetRow {
  readonly usd: number;
  readonly generator: string;
  readonly entries: readonly FixedBudgetEntry[];
  /** Mean PGR over the settings at this amount. */
  readonly average: ReportValue;
}

export interface FixedBudgetTable {
  readonly settings: readonly string[];
  readonly rows: readonly FixedBudgetRow[];
}

/**
 * The fixed-budget study (the paper's Figure 7): per dollar amount and generator, how many
 * instances the amount bought in each setting and the PGR of the student trained on them.
 * Undefined without `fixedBudget`.
 */
export function buildFixedBudgetTable(input: {
  readonly generators: readonly { readonly id: string }[];
  readonly settings: readonly string[];
  readonly cells: readonly ReportCell[];
  readonly budgetsUsd: readonly number[];
}): FixedBudgetTable | undefined {
  if (input.budgetsUsd.length === 0) return undefined;
  const byKey = new Map(input.cells.map((c) => [`${c.generator}\t${c.setting}`, c]));
  const rows = input.budgetsUsd.flatMap((usd) =>
    input.generators.map((g): FixedBudgetRow => {
      const entries = input.settings.map((s): FixedBudgetEntry => {
        const cell = byKey.get(`${g.id}\t${s}@${budgetVariant(usd)}`);
        const main = byKey.get(`${g.id}\t${s}`);
        const pgr = cellValue(cell);
        const taken = cell?.generated && (cell.stage !== 'generate' || cell.state === 'done') ? cell.generated.accepted : undefined;
        const of = main?.generated?.accepted;
        const floor = taken !== undefined && of !== undefined && main !== undefined && taken === of && usd > main.generationCostUsd;
        return { pgr, ...(taken !== undefined && { instances: taken }), ...(of !== undefined && { of }), floor };
      });
      return {
        usd,
        generator: g.id,
        entries,
        average: averageOf(
          entries.map((e) => e.pgr),
          input.settings,
        ),
      };
    }),
  );
  return { settings: input.settings, rows };
}
