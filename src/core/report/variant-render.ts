import { DOMAIN_LABEL } from '../setting.js';
import type { AblationTable } from './ablation-table.js';
import type { CsvPush } from './analysis-render.js';
import type { FixedBudgetEntry, FixedBudgetTable } from './fixed-budget-table.js';
import { mdTable } from './md-table.js';
import { METHOD_SHORT, mdValue, Notes } from './md-values.js';
import type { ReportValue } from './report-model.js';

/**
 * The sweep's extra dimensions in the report: the meta-prompt ablation (Table 5) and the
 * fixed-budget study (Figure 7), in md, csv, json and html, from the same tables.
 */

export const ABLATION_TITLE = 'Table 5: meta-prompt ablation (PGR %)';
export const ABLATION_NOTE = 'One row per generator and metaPrompt variant; the first variant is the main sweep (Table 2). Avg.: over the sweep’s settings.';
export const BUDGET_TITLE = 'Fixed budget: what a dollar amount buys (Figure 7)';
export const BUDGET_NOTE =
  'Per amount and generator: the PGR of a student trained on the first instances of the cell that the amount buys at the price its generation measured, and how many of the cell’s instances that was. ≥: the amount would buy more than the cell holds, so the PGR is a floor.';

export function ablationHead(t: AblationTable): string[] {
  return ['Generator', 'Variant', ...t.columns.map((c) => `${METHOD_SHORT[c.method]} ${c.domain ? DOMAIN_LABEL[c.domain] : 'Avg.'}`), 'Avg.'];
}

export const bought = (e: FixedBudgetEntry) => (e.instances === undefined ? '' : `${e.floor ? '≥' : ''}${e.instances}${e.of !== undefined ? `/${e.of}` : ''}`);

export function variantsMarkdown(ablation: AblationTable | undefined, budget: FixedBudgetTable | undefined): string[] {
  const out: string[] = [];
  if (ablation) {
    const notes = new Notes();
    const head = ablationHead(ablation);
    out.push('', `## ${ABLATION_TITLE}`, '', ABLATION_NOTE, '');
    out.push(
      ...mdTable(
        head,
        head.map((_, i) => (i < 2 ? 'l' : 'r')),
        ablation.rows.map((r) => [r.generator, r.variant, ...r.values.map((v) => mdValue(v, notes)), mdValue(r.average, notes)]),
      ),
    );
    if (notes.render().length > 0) out.push('', ...notes.render());
  }
  if (budget) {
    const notes = new Notes();
    const head = ['Budget (USD)', 'Generator', ...budget.settings.flatMap((s) => [`${s} PGR`, `${s} instances`]), 'Avg. PGR'];
    out.push('', `## ${BUDGET_TITLE}`, '', BUDGET_NOTE, '');
    out.push(
      ...mdTable(
        head,
        head.map((_, i) => (i < 2 ? 'l' : 'r')),
        budget.rows.map((r) => [String(r.usd), r.generator, ...r.entries.flatMap((e) => [mdValue(e.pgr, notes), bought(e)]), mdValue(r.average, notes)]),
      ),
    );
    if (notes.render().length > 0) out.push('', ...notes.render());
  }
  return out;
}

export function variantsCsv(ablation: AblationTable | undefined, budget: FixedBudgetTable | undefined, push: CsvPush): void {
  for (const r of ablation?.rows ?? []) {
    r.values.forEach((v, i) => {
      const c = ablation!.columns[i]!;
      push('ablation', r.generator, `${c.domain ? `${c.domain}/${c.method}` : `avg/${c.method}`}@${r.variant}`, '', '', 'pgr', v);
    });
    push('ablation', r.generator, `avg@${r.variant}`, '', '', 'pgr', r.average);
  }
  for (const r of budget?.rows ?? []) {
    r.entries.forEach((e, i) => {
      const setting = `${budget!.settings[i]!}@usd${r.usd}`;
      push('fixed_budget', r.generator, setting, '', '', 'pgr', e.pgr);
      if (e.instances !== undefined) push('fixed_budget', r.generator, setting, '', '', 'instances', { kind: 'value', value: e.instances });
      if (e.floor) push('fixed_budget', r.generator, setting, '', '', 'floor', { kind: 'value', value: 1 });
    });
    push('fixed_budget', r.generator, `avg@usd${r.usd}`, '', '', 'pgr', r.average);
  }
}

export function variantsJson(ablation: AblationTable | undefined, budget: FixedBudgetTable | undefined, value: (v: ReportValue) => unknown): object {
  return {
    ...(ablation && {
      ablation: {
        columns: ablation.columns.map((c) => ({ method: c.method, domain: c.domain ?? null })),
        rows: ablation.rows.map((r) => ({ generator: r.generator, variant: r.variant, values: r.values.map(value), average: value(r.average) })),
      },
    }),
    ...(budget && {
      fixedBudget: {
        settings: budget.settings,
        rows: budget.rows.map((r) => ({
          usd: r.usd,
          generator: r.generator,
          entries: r.entries.map((e) => ({ ...e, pgr: value(e.pgr) })),
          average: value(r.average),
        })),
      },
    }),
  };
}
