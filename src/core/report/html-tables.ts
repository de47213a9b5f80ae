import { DOMAIN_LABEL, METHOD_LABEL, METHODS } from '../setting.js';
import { BENCHMARK_LABEL } from './labels.js';
import type { Report } from './render.js';
import { METHOD_SHORT, Notes, usd } from './md-values.js';
import type { ReportValue } from './report-model.js';
import { esc } from './svg-parts.js';

/** The md report's tables as HTML: the same rows and numbers, reasons as numbered notes under each table. */

export interface Td {
  readonly html: string;
  readonly num?: boolean;
  readonly title?: string;
}

export const text = (s: string): Td => ({ html: esc(s) });
export const num = (s: string): Td => ({ html: esc(s), num: true });

export function valueTd(v: ReportValue, notes: Notes, digits = 1): Td {
  if (v.kind === 'value') {
    if (v.flag === undefined) return num(v.value.toFixed(digits));
    return { html: `${v.value.toFixed(digits)}<span class="flag">!</span><sup>${esc(notes.mark(`! ${v.flag}`))}</sup>`, num: true, title: v.flag };
  }
  if (v.kind === 'reason') return { html: `n/a<sup>${esc(notes.mark(v.reason))}</sup>`, num: true, title: v.reason };
  return { html: v.status ? '·' : '', num: true, ...(v.status && { title: v.status }) };
}

function td(c: Td): string {
  const attrs = `${c.num ? ' class="num"' : ''}${c.title ? ` title="${esc(c.title)}"` : ''}`;
  return `<td${attrs}>${c.html}</td>`;
}

export function table(head: string, rows: readonly (readonly Td[])[], notes: Notes, caption?: string): string {
  const body = rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('\n');
  const list = notes.render();
  const foot = list.length > 0 ? `<ol class="notes">${list.map((n) => `<li>${esc(n.replace(/^\[\d+\] /, ''))}</li>`).join('')}</ol>` : '';
  return `<table>${caption ? `<caption>${esc(caption)}</caption>` : ''}<thead>${head}</thead><tbody>\n${body}\n</tbody></table>${foot}`;
}

export const headRow = (cells: readonly string[]) => `<tr>${cells.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;

export function table2Html(r: Report): string {
  const notes = new Notes();
  const groups = `<tr><th rowspan="2">Generator</th>${METHODS.map((m) => `<th colspan="4" title="${esc(METHOD_LABEL[m])}">${esc(METHOD_LABEL[m])} (${METHOD_SHORT[m]})</th>`).join('')}</tr>`;
  const cols = `<tr>${r.table2.columns.map((c) => `<th>${esc(c.domain ? DOMAIN_LABEL[c.domain] : 'Avg.')}</th>`).join('')}</tr>`;
  const rows = r.table2.rows.map((row) => [text(row.generator), ...row.values.map((v) => valueTd(v, notes))]);
  return table(
    groups + cols,
    rows,
    notes,
    'Table 2: Performance Gap Recovered (%). ·: not scored yet (hover for the status). !: a PGR that cannot be read as recovery.',
  );
}

export function table3Html(r: Report): string {
  const notes = new Notes();
  const rows = r.table3.map((t) => [
    text(t.generator),
    text(t.model),
    num(usd(t.generationCostUsd)),
    num(usd(t.judgeCostUsd)),
    valueTd(t.problemSolving, notes),
    valueTd(t.averagePgr, notes),
  ]);
  const out = table(
    headRow(['Generator', 'Model', 'API cost (USD)', 'Judge cost (USD)', 'Problem solving', 'Avg. PGR']),
    rows,
    notes,
    'Table 3: cost, problem solving and data generation per generator',
  );
  return r.baselineJudgeCostUsd > 0 ? `${out}<p>Judging the baselines' answers cost ${esc(usd(r.baselineJudgeCostUsd))} USD besides.</p>` : out;
}

export function benchmarksHtml(r: Report): string {
  const notes = new Notes();
  const rows = r.benchmarks.map((b) => [
    text(b.subject),
    text(BENCHMARK_LABEL[b.benchmark]),
    valueTd(b.score, notes, 2),
    num(b.n === undefined ? '' : String(b.n)),
    text(b.source ?? ''),
    b.pgr ? valueTd(b.pgr, notes) : num(''),
    num(b.paperReference === undefined ? '' : b.paperReference.toFixed(1)),
    b.pgrPaperReference ? valueTd(b.pgrPaperReference, notes) : num(''),
  ]);
  return table(headRow(['Subject', 'Benchmark', 'Score', 'n', 'Source', 'PGR', 'Paper S_ref', 'PGR vs paper S_ref']), rows, notes, 'Benchmark scores');
}

export function generationHtml(r: Report): string {
  if (r.generation.length === 0) return '<p>No cell has generated data yet.</p>';
  const rows = r.generation.map((g) => [text(g.generator), text(g.setting), num(String(g.accepted)), num(String(g.target)), num(String(g.dropped))]);
  return table(
    headRow(['Generator', 'Setting', 'Accepted', 'Target', 'Dropped']),
    rows,
    new Notes(),
    'Generated data: accepted instances of the planned target; dropped: seed items whose every attempt was rejected',
  );
}
