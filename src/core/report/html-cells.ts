import type { AnalysisModel } from '../analysis/run-analysis.js';
import type { PgrValue } from '../snapshot.js';
import { DOMAIN_BENCHMARKS, parseSetting } from '../setting.js';
import { describeOrigin } from './baseline-lines.js';
import { cellMetricsHtml } from './html-analyses.js';
import { BENCHMARK_LABEL } from './labels.js';
import { usd } from './md-values.js';
import { cellStatus, type ReportCell } from './report-model.js';
import { esc } from './svg-parts.js';

/** Per-cell drill-down of the html report: what the run recorded about each cell, one <details> each. */

const key = (generator: string, setting: string) => `${generator}\t${setting}`;

/** `#cell-N` per generator and setting, N the cell's place in the report: the heatmap links to it. */
export function cellAnchors(cells: readonly ReportCell[]): Map<string, string> {
  return new Map(cells.map((c, i) => [key(c.generator, c.setting), `cell-${i}`]));
}

/** A PGR in words for a summary line: `PGR 62.0`, `PGR 438.0 (flagged)`, `no PGR: <reason>`. */
export function pgrWords(v: PgrValue | undefined): string {
  if (!v) return 'not scored yet';
  if (!('value' in v)) return `no PGR: ${v.reason}`;
  return `PGR ${v.value.toFixed(1)}${v.flag === undefined ? '' : ' (flagged)'}`;
}

function pgrCell(v: PgrValue | undefined): string {
  if (!v) return '<td class="num"></td>';
  if (!('value' in v)) return `<td class="num reason">n/a: ${esc(v.reason)}</td>`;
  return `<td class="num">${v.value.toFixed(1)}${v.flag === undefined ? '' : `<span class="flag">!</span> <span class="reason">${esc(v.flag)}</span>`}</td>`;
}

/** Long texts are cut so a report of many cells stays a file one opens: the run's store has them whole. */
const MAX_TEXT = 1200;

function longText(s: string): string {
  const cut = s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}\n[... ${s.length - MAX_TEXT} more characters]` : s;
  return `<pre>${esc(cut)}</pre>`;
}

function scoresHtml(c: ReportCell): string {
  if (!c.scores) return '<p>Not scored yet.</p>';
  const s = c.scores;
  const rows = DOMAIN_BENCHMARKS[parseSetting(c.setting).domain].map((b) => {
    const raw = s.benchmarks[b];
    return `<tr><td>${esc(BENCHMARK_LABEL[b])}</td><td class="num">${raw === undefined ? '' : raw.toFixed(2)}</td>${pgrCell(s.pgrByBenchmark[b])}</tr>`;
  });
  const baselines = s.baselines
    ? `<p>PGR computed against S_0: ${esc(describeOrigin('base', s.baselines.base))}; S_ref: ${esc(describeOrigin('reference', s.baselines.reference))}.</p>`
    : '';
  return `<table><thead><tr><th>Benchmark</th><th>Student score</th><th>PGR</th></tr></thead><tbody>${rows.join('')}</tbody></table><p>Domain PGR (mean of the two): ${esc(pgrWords(s.pgr))}</p>${baselines}`;
}

function activityHtml(c: ReportCell): string {
  const a = c.activity;
  if (!a) return '';
  const out = [`<p>${a.calls} API calls, ${a.retries} retries, ${a.tokensIn} tokens in, ${a.tokensOut} out.</p>`];
  const reasons = Object.entries(a.rejectionsByReason).sort((x, y) => y[1] - x[1]);
  if (reasons.length > 0) {
    const rows = reasons.map(([reason, n]) => `<tr><td>${esc(reason)}</td><td class="num">${n}</td></tr>`).join('');
    out.push(`<h4>Rejected instances by reason</h4><table><thead><tr><th>Reason</th><th>Count</th></tr></thead><tbody>${rows}</tbody></table>`);
  }
  if (a.lastErrors.length > 0) out.push(`<h4>Latest errors</h4><ol class="errors">${a.lastErrors.map((e) => `<li>${longText(e)}</li>`).join('')}</ol>`);
  return out.join('');
}

function samplesHtml(c: ReportCell): string {
  const s = c.samples;
  if (!s) return '';
  const out: string[] = [];
  if (s.instances.length > 0) {
    const rows = s.instances.map((i) => `<tr><td class="num">${i.seq}</td><td>${longText(i.instruction)}</td><td>${longText(i.response)}</td></tr>`).join('');
    out.push(`<h4>Latest accepted instances</h4><table><thead><tr><th>#</th><th>Instruction</th><th>Response</th></tr></thead><tbody>${rows}</tbody></table>`);
  }
  if (s.answers.length > 0) {
    const rows = s.answers
      .map((a) => {
        const verdict = a.verdict === undefined ? '' : longText(JSON.stringify(a.verdict, null, 1));
        return `<tr><td>${esc(BENCHMARK_LABEL[a.benchmark])}</td><td>${esc(a.itemId)}</td><td>${a.output === null ? '' : longText(a.output)}</td><td class="num">${a.score === null ? '' : esc(String(a.score))}</td><td>${verdict}</td></tr>`;
      })
      .join('');
    out.push(
      `<h4>Student answers (the first items of each benchmark)</h4><table><thead><tr><th>Benchmark</th><th>Item</th><th>Answer</th><th>Score</th><th>Verdict</th></tr></thead><tbody>${rows}</tbody></table>`,
    );
  }
  return out.join('');
}

function cellHtml(c: ReportCell, id: string, analysis?: AnalysisModel): string {
  const g = c.generated;
  const facts = [
    `<dt>Status</dt><dd>${esc(`${c.stage} ${c.state}`)}</dd>`,
    c.error ? `<dt>Error</dt><dd><pre class="error">${esc(c.error)}</pre></dd>` : '',
    g ? `<dt>Generated</dt><dd>${g.accepted} of ${g.target} accepted${g.dropped > 0 ? `; ${g.dropped} seed items dropped` : ''}</dd>` : '',
    `<dt>API cost</dt><dd>generation ${esc(usd(c.generationCostUsd))} USD; judge ${esc(usd(c.judgeCostUsd))} USD</dd>`,
  ].join('');
  const metrics = analysis
    ? cellMetricsHtml(
        analysis.cells.find((a) => a.generator === c.generator && a.setting === c.setting),
        analysis.metrics,
      )
    : '';
  const summary = `<b>${esc(c.generator)}</b> · ${esc(c.setting)} · ${esc(cellStatus(c).split(': ')[0]!)} · ${esc(pgrWords(c.scores?.pgr))}`;
  return `<details id="${id}" class="cell state-${esc(c.state)}"><summary>${summary}</summary><dl>${facts}</dl>${scoresHtml(c)}${metrics}${activityHtml(c)}${samplesHtml(c)}</details>`;
}

/** Every cell of the sweep, in the matrix's order (generators, then the sweep's settings). */
export function cellsHtml(cells: readonly ReportCell[], generators: readonly string[], settings: readonly string[], analysis?: AnalysisModel): string {
  const anchors = cellAnchors(cells);
  const order = (c: ReportCell) => generators.indexOf(c.generator) * 1000 + settings.indexOf(c.setting);
  return [...cells]
    .sort((a, b) => order(a) - order(b))
    .map((c) => cellHtml(c, anchors.get(key(c.generator, c.setting))!, analysis))
    .join('\n');
}
