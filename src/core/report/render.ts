import type { AnalysisModel } from '../analysis/run-analysis.js';
import { BASELINE_SUBJECTS } from '../run-config.js';
import { analysesMarkdown, analysisCsv } from './analysis-render.js';
import { mdTable } from './md-table.js';
import { METHOD_SHORT, mdValue, Notes, usd } from './md-values.js';
import { buildAblationTable, type AblationTable } from './ablation-table.js';
import { buildFixedBudgetTable, type FixedBudgetTable } from './fixed-budget-table.js';
import { variantsCsv, variantsJson, variantsMarkdown } from './variant-render.js';
import { DOMAIN_LABEL, METHOD_LABEL, type Method } from '../setting.js';
import { baselineLines, describeOrigin } from './baseline-lines.js';
import { BENCHMARK_LABEL } from './labels.js';
import { reportCostPgr, type CostPgrSummary } from './cost-pgr.js';
import type { GeneratedData, ReportCell, ReportInput, ReportValue } from './report-model.js';
import type { SettingId } from '../setting.js';
import { buildBenchmarkRows, buildTable2, buildTable3, type BenchmarkRow, type Table2, type Table3Row } from './tables.js';

export type ReportFormat = 'md' | 'csv' | 'json';

export interface Report {
  readonly name: string;
  readonly table2: Table2;
  readonly table3: readonly Table3Row[];
  readonly benchmarks: readonly BenchmarkRow[];
  /** Judge spending on the baselines' evaluation, charged to no generator's cells. */
  readonly baselineJudgeCostUsd: number;
  /** Per cell, the data its student trains on: accepted of the planned target, and dropped items. */
  readonly generation: readonly GenerationRow[];
  /** Which S_0 and S_ref PGR used, and whether they share the students' harness. */
  readonly baselineLines: readonly string[];
  readonly baselineOrigins: ReportInput['baselineOrigins'];
  /** The sweep's settings, in the config's order, and every cell as read: the html report's matrix and drill-down. */
  readonly settings: readonly SettingId[];
  readonly cells: readonly ReportCell[];
  /** Per generator: API cost of its data against its mean PGR (the paper's main figure). */
  readonly costPgr: readonly CostPgrSummary[];
  /** The intrinsic metrics, their PCA and the regressions (absent: not computed by the caller). */
  readonly analysis?: AnalysisModel;
  /** The meta-prompt ablation (metaPrompt as a list) and the fixed-budget study, when the sweep has them. */
  readonly ablation?: AblationTable;
  readonly fixedBudget?: FixedBudgetTable;
}

export interface GenerationRow extends GeneratedData {
  readonly generator: string;
  readonly setting: string;
}

export function buildReport(input: ReportInput): Report {
  const generation = input.cells.flatMap((c) => (c.generated ? [{ generator: c.generator, setting: c.setting, ...c.generated }] : []));
  return {
    name: input.name,
    table2: buildTable2(input),
    table3: buildTable3(input),
    benchmarks: buildBenchmarkRows(input),
    baselineJudgeCostUsd: input.baselineJudgeCostUsd,
    generation,
    baselineLines: baselineLines(input),
    baselineOrigins: input.baselineOrigins,
    settings: input.settings,
    cells: input.cells,
    costPgr: reportCostPgr(input),
    ...(input.analysis && { analysis: input.analysis }),
    ...variantTables(input),
  };
}

function variantTables(input: ReportInput): { ablation?: AblationTable; fixedBudget?: FixedBudgetTable } {
  const ablation = buildAblationTable({ ...input, metaPrompts: input.metaPrompts ?? [] });
  const fixedBudget = buildFixedBudgetTable({ ...input, budgetsUsd: input.fixedBudgetUsd ?? [] });
  return { ...(ablation && { ablation }), ...(fixedBudget && { fixedBudget }) };
}

export function renderMarkdown(r: Report): string {
  const out: string[] = [`# agora report: ${r.name}`, ''];
  const n2 = new Notes();
  const head2 = ['Generator', ...r.table2.columns.map((c) => `${METHOD_SHORT[c.method]} ${c.domain ? DOMAIN_LABEL[c.domain] : 'Avg.'}`)];
  out.push('## Table 2: Performance Gap Recovered (%)', '');
  out.push(...r.baselineLines, '');
  out.push(
    `${(Object.keys(METHOD_SHORT) as Method[]).map((m) => `${METHOD_SHORT[m]}: ${METHOD_LABEL[m]}`).join('; ')}. Blank: not scored yet. !: a PGR that cannot be read as recovery (see its note).`,
    '',
  );
  out.push(
    ...mdTable(
      head2,
      head2.map((_, i) => (i === 0 ? 'l' : 'r')),
      r.table2.rows.map((row) => [row.generator, ...row.values.map((v) => mdValue(v, n2))]),
    ),
  );
  out.push(...(n2.render().length > 0 ? ['', ...n2.render()] : []), '');

  const n3 = new Notes();
  out.push('## Table 3: cost, problem solving and data generation per generator', '');
  out.push(
    ...mdTable(
      ['Generator', 'Model', 'API cost (USD)', 'Judge cost (USD)', 'Problem solving', 'Avg. PGR'],
      ['l', 'l', 'r', 'r', 'r', 'r'],
      r.table3.map((t) => [t.generator, t.model, usd(t.generationCostUsd), usd(t.judgeCostUsd), mdValue(t.problemSolving, n3), mdValue(t.averagePgr, n3)]),
    ),
  );
  out.push(...(n3.render().length > 0 ? ['', ...n3.render()] : []));
  if (r.baselineJudgeCostUsd > 0) out.push('', `Judging the baselines' answers cost ${usd(r.baselineJudgeCostUsd)} USD besides.`);
  out.push('');

  const nb = new Notes();
  out.push('## Benchmark scores', '');
  out.push(
    ...mdTable(
      ['Subject', 'Benchmark', 'Score', 'n', 'Source', 'PGR', 'Paper S_ref', 'PGR vs paper S_ref'],
      ['l', 'l', 'r', 'r', 'l', 'r', 'r', 'r'],
      r.benchmarks.map((b) => [
        b.subject,
        BENCHMARK_LABEL[b.benchmark],
        mdValue(b.score, nb, 2),
        b.n === undefined ? '' : String(b.n),
        b.source ?? '',
        b.pgr ? mdValue(b.pgr, nb) : '',
        b.paperReference === undefined ? '' : b.paperReference.toFixed(1),
        b.pgrPaperReference ? mdValue(b.pgrPaperReference, nb) : '',
      ]),
    ),
  );
  out.push(...(nb.render().length > 0 ? ['', ...nb.render()] : []));
  if (r.generation.length > 0) {
    // Dropped: seed items refused on every attempt, given up as in the official code, so the
    // student trains on fewer instances than planned.
    out.push('', '## Generated data', '', 'Accepted instances of the planned target; dropped: seed items whose every attempt was rejected.', '');
    out.push(
      ...mdTable(
        ['Generator', 'Setting', 'Accepted', 'Target', 'Dropped'],
        ['l', 'l', 'r', 'r', 'r'],
        r.generation.map((g) => [g.generator, g.setting, String(g.accepted), String(g.target), String(g.dropped)]),
      ),
    );
  }
  out.push(...variantsMarkdown(r.ablation, r.fixedBudget));
  if (r.analysis) out.push('', ...analysesMarkdown(r.analysis));
  return out.join('\n') + '\n';
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvValue(v: ReportValue): [string, string] {
  if (v.kind === 'value') return [String(v.value), v.flag ?? ''];
  if (v.kind === 'reason') return ['', v.reason];
  return ['', v.status ?? ''];
}

/** One tidy table: a row per number, its `note` holding the reason or status where there is no number. */
export function renderCsv(r: Report): string {
  const lines = [['table', 'generator', 'setting', 'subject', 'benchmark', 'metric', 'value', 'note']];
  const push = (table: string, generator: string, setting: string, subject: string, benchmark: string, metric: string, v: ReportValue) =>
    lines.push([table, generator, setting, subject, benchmark, metric, ...csvValue(v)]);
  for (const subject of BASELINE_SUBJECTS)
    push('baseline', '', '', subject, '', 'origin', { kind: 'empty', status: describeOrigin(subject, r.baselineOrigins[subject]) });
  for (const row of r.table2.rows) {
    row.values.forEach((v, i) => {
      const c = r.table2.columns[i]!;
      push('pgr', row.generator, c.domain ? `${c.domain}/${c.method}` : `avg/${c.method}`, '', '', 'pgr', v);
    });
  }
  for (const t of r.table3) {
    push('generator', t.generator, '', '', '', 'api_cost_usd', { kind: 'value', value: t.generationCostUsd });
    push('generator', t.generator, '', '', '', 'judge_cost_usd', { kind: 'value', value: t.judgeCostUsd });
    push('generator', t.generator, '', '', '', 'problem_solving', t.problemSolving);
    push('generator', t.generator, '', '', '', 'avg_pgr', t.averagePgr);
  }
  if (r.baselineJudgeCostUsd > 0) push('generator', '', '', 'baselines', '', 'judge_cost_usd', { kind: 'value', value: r.baselineJudgeCostUsd });
  for (const g of r.generation) {
    for (const metric of ['accepted', 'target', 'dropped'] as const)
      push('generate', g.generator, g.setting, '', '', metric, { kind: 'value', value: g[metric] });
  }
  for (const b of r.benchmarks) {
    push('benchmark', b.generator ?? '', b.setting ?? '', b.generator ? 'cell' : b.subject, b.benchmark, 'score', b.score);
    if (b.pgr) push('benchmark', b.generator ?? '', b.setting ?? '', 'cell', b.benchmark, 'pgr', b.pgr);
    if (b.paperReference !== undefined) push('benchmark', '', '', b.subject, b.benchmark, 'paper_s_ref', { kind: 'value', value: b.paperReference });
    if (b.pgrPaperReference) push('benchmark', b.generator ?? '', b.setting ?? '', 'cell', b.benchmark, 'pgr_vs_paper_s_ref', b.pgrPaperReference);
  }
  variantsCsv(r.ablation, r.fixedBudget, push);
  if (r.analysis) analysisCsv(r.analysis, push);
  return lines.map((l) => l.map(csvField).join(',')).join('\n') + '\n';
}

function jsonValue(v: ReportValue): unknown {
  if (v.kind === 'value') return v.flag === undefined ? { value: v.value } : { value: v.value, flag: v.flag };
  if (v.kind === 'reason') return { reason: v.reason };
  return v.status ? { status: v.status } : null;
}

export function renderJson(r: Report): string {
  return (
    JSON.stringify(
      {
        name: r.name,
        baselines: r.baselineOrigins,
        baselineNotes: r.baselineLines,
        baselineJudgeCostUsd: r.baselineJudgeCostUsd,
        table2: {
          columns: r.table2.columns.map((c) => ({ method: c.method, domain: c.domain ?? null })),
          rows: r.table2.rows.map((row) => ({ generator: row.generator, values: row.values.map(jsonValue) })),
        },
        table3: r.table3.map((t) => ({ ...t, problemSolving: jsonValue(t.problemSolving), averagePgr: jsonValue(t.averagePgr) })),
        benchmarks: r.benchmarks.map((b) => ({
          ...b,
          score: jsonValue(b.score),
          ...(b.pgr && { pgr: jsonValue(b.pgr) }),
          ...(b.pgrPaperReference && { pgrPaperReference: jsonValue(b.pgrPaperReference) }),
        })),
        generation: r.generation,
        ...variantsJson(r.ablation, r.fixedBudget, jsonValue),
        ...(r.analysis && { analysis: r.analysis }),
      },
      null,
      2,
    ) + '\n'
  );
}

export function renderReport(r: Report, format: ReportFormat): string {
  return format === 'md' ? renderMarkdown(r) : format === 'csv' ? renderCsv(r) : renderJson(r);
}
