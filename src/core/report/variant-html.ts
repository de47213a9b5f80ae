import type { AblationTable } from './ablation-table.js';
import type { FixedBudgetTable } from './fixed-budget-table.js';
import { headRow, num, table, text, valueTd, type Td } from './html-tables.js';
import { Notes } from './md-values.js';
import { ABLATION_NOTE, ABLATION_TITLE, ablationHead, bought, BUDGET_NOTE, BUDGET_TITLE } from './variant-render.js';

/** The html page's tables of both, or '' when the sweep has neither. */
export function variantsHtml(ablation: AblationTable | undefined, budget: FixedBudgetTable | undefined): string {
  const parts: string[] = [];
  if (ablation) {
    const notes = new Notes();
    const rows = ablation.rows.map((r): Td[] => [text(r.generator), text(r.variant), ...r.values.map((v) => valueTd(v, notes)), valueTd(r.average, notes)]);
    parts.push(table(headRow(ablationHead(ablation)), rows, notes, `${ABLATION_TITLE}. ${ABLATION_NOTE}`));
  }
  if (budget) {
    const notes = new Notes();
    const head = headRow(['Budget (USD)', 'Generator', ...budget.settings.flatMap((s) => [`${s} PGR`, 'instances']), 'Avg. PGR']);
    const rows = budget.rows.map((r): Td[] => [
      num(String(r.usd)),
      text(r.generator),
      ...r.entries.flatMap((e) => [valueTd(e.pgr, notes), num(bought(e))]),
      valueTd(r.average, notes),
    ]);
    parts.push(table(head, rows, notes, `${BUDGET_TITLE}. ${BUDGET_NOTE}`));
  }
  return parts.join('\n');
}
