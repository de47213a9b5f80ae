import type { AnalysisCell, AnalysisModel } from '../analysis/run-analysis.js';
import type { MetricId } from '../metrics/metric-ids.js';
import { analysisTables, METRIC_LABEL, metricText, type AnalysisTable } from './analysis-tables.js';
import { generatorColor } from './pgr-color.js';
import { esc, tickLabel } from './svg-parts.js';
import { svgLoadings, svgVarianceBars } from './svg-pca.js';
import { svgScatter } from './svg-scatter.js';

/** The html report's analyses section: the same tables as the markdown report, with the PCA and the solver correlation drawn. */

function tableHtml(t: AnalysisTable): string {
  const head = `<tr>${t.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const rows = t.rows.map((r) => `<tr>${r.map((v, i) => (t.align[i] === 'r' ? `<td class="num">${esc(v)}</td>` : `<td>${esc(v)}</td>`)).join('')}</tr>`);
  return `<table id="${esc(t.id)}"><thead>${head}</thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function pcaCharts(a: AnalysisModel): string {
  if (!('value' in a.pca) || a.pca.value.components.length === 0) return '';
  const p = a.pca.value;
  const names = p.components.map((_, k) => `PC${k + 1}`);
  const bars = svgVarianceBars(
    p.components.map((c, k) => ({ label: names[k]!, ratio: c.varianceRatio, cumulative: p.cumulative[k]! })),
    'Explained variance per principal component',
  );
  const loadings = svgLoadings(
    p.metrics.map((m) => METRIC_LABEL[m as MetricId] ?? m),
    names,
    p.components.map((c) => c.loadings),
    'Loadings of each metric on each principal component',
  );
  return `<h4>Explained variance</h4>${bars}<h4>Loadings</h4><p class="note">Blue: the metric grows along the component; red: it shrinks. Each component's sign is fixed so its largest loading is positive.</p>${loadings}`;
}

function solverChart(a: AnalysisModel, generators: readonly string[]): string {
  if (!('value' in a.solver)) return '';
  const s = a.solver.value;
  const color = (g: string) => generatorColor(Math.max(0, generators.indexOf(g)));
  const shown = generators.filter((g) => s.points.some((p) => p.generator === g));
  return svgScatter({
    // No label beside each point: a generator's cells share one x, so their settings' names would
    // overprint; the tooltip names the cell and the legend the generator.
    points: s.points.map((p) => ({
      label: '',
      x: p.solverScore,
      y: p.pgr,
      color: color(p.generator),
      title: `${p.generator} ${p.setting}: problem solving ${p.solverScore.toFixed(1)}, PGR ${p.pgr.toFixed(1)}`,
    })),
    legend: shown.map((g) => ({ color: color(g), text: `${g}: problem solving ${s.points.find((p) => p.generator === g)!.solverScore.toFixed(1)}` })),
    xLabel: "Generator's problem-solving score",
    yLabel: 'PGR (%)',
    xTick: (v, step) => tickLabel(v, step),
    ariaLabel: 'PGR against the generator problem-solving score, one point per cell',
  });
}

/** The section's body: each table (or why it is empty), the charts after the table they draw. */
export function analysesHtml(a: AnalysisModel, generators: readonly string[]): string {
  return analysisTables(a)
    .map((t) => {
      const head = `<h3>${esc(t.title)}</h3>`;
      if (t.missing !== undefined) return `${head}<p class="pending">Not computed: ${esc(t.missing)}.</p>`;
      const lines = t.lines.map((l) => `<p class="note">${esc(l)}</p>`).join('');
      const chart = t.id === 'analysis-pca' ? pcaCharts(a) : t.id === 'analysis-solver' ? solverChart(a, generators) : '';
      return `${head}${lines}${tableHtml(t)}${chart}`;
    })
    .join('\n');
}

/** A cell's intrinsic metrics for its drill-down: each value with the instances behind it, and why the cell is out of the analyses. */
export function cellMetricsHtml(c: AnalysisCell | undefined, metrics: readonly MetricId[]): string {
  if (!c) return '';
  const rows = metrics
    .filter((m) => c.values[m] !== undefined)
    .map((m) => `<tr><td>${esc(METRIC_LABEL[m])}</td><td class="num">${esc(metricText(m, c.values[m]))}</td><td class="num">${c.counts[m] ?? ''}</td></tr>`)
    .join('');
  const table = rows
    ? `<table><thead><tr><th>Metric</th><th>Value</th><th>Instances</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p>No intrinsic metrics computed.</p>';
  const why = c.leftOut ? `<p class="note">Not in the PCA and regressions: ${esc(c.leftOut)}.</p>` : '';
  return `<h4>Intrinsic metrics</h4>${table}${why}`;
}
