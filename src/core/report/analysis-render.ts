import type { AnalysisModel } from '../analysis/run-analysis.js';
import type { OlsResult } from '../analysis/regression.js';
import { analysisTables } from './analysis-tables.js';
import { mdTable } from './md-table.js';
import type { ReportValue } from './report-model.js';

/** The paper's second half: the per-cell metrics, PCA and regressions, each table or the reason it is empty. */
export function analysesMarkdown(a: AnalysisModel): string[] {
  const out = ['## Analyses: what makes a good data generator'];
  for (const t of analysisTables(a)) {
    out.push('', `### ${t.title}`, '');
    if (t.missing !== undefined) {
      out.push(`Not computed: ${t.missing}.`);
      continue;
    }
    if (t.lines.length > 0) out.push(...t.lines, '');
    out.push(...mdTable(t.head, t.align, t.rows));
  }
  return out;
}

export type CsvPush = (table: string, generator: string, setting: string, subject: string, benchmark: string, metric: string, v: ReportValue) => void;

/** The analyses in the tidy table: a row per cell metric, explained variance, loading and fit statistic; a reason in `note` where there is none. */
export function analysisCsv(a: AnalysisModel, push: CsvPush): void {
  const val = (value: number): ReportValue => ({ kind: 'value', value });
  for (const c of a.cells) {
    for (const m of a.metrics) if (c.values[m] !== undefined) push('intrinsic', c.generator, c.setting, '', '', m, val(c.values[m]!));
    if (c.leftOut) push('intrinsic', c.generator, c.setting, '', '', 'in_analysis', { kind: 'reason', reason: c.leftOut });
  }
  if ('reason' in a.pca) push('pca', '', '', '', '', 'explained_variance', { kind: 'reason', reason: a.pca.reason });
  else {
    const p = a.pca.value;
    p.components.forEach((c, k) => {
      push('pca', '', '', `PC${k + 1}`, '', 'explained_variance', val(c.varianceRatio));
      c.loadings.forEach((w, j) => push('pca', '', '', `PC${k + 1}`, '', `loading:${p.metrics[j]}`, val(w)));
    });
  }
  const fit = (subject: string, f: { value: OlsResult } | { reason: string }) => {
    if ('reason' in f) return push('regression', '', '', subject, '', 'r_squared', { kind: 'reason', reason: f.reason });
    push('regression', '', '', subject, '', 'r_squared', val(f.value.rSquared));
    push('regression', '', '', subject, '', 'adj_r_squared', val(f.value.adjustedRSquared));
    push('regression', '', '', subject, '', 'n', val(f.value.n));
    for (const c of [f.value.intercept, ...f.value.coefficients]) {
      push('regression', '', '', subject, '', `coef:${c.name}`, val(c.estimate));
      push('regression', '', '', subject, '', `se:${c.name}`, val(c.stdError));
      push('regression', '', '', subject, '', `p:${c.name}`, val(c.p));
    }
  };
  fit('components', a.componentRegression);
  for (const r of a.metricRegressions) fit(r.metric, r.fit);
  if ('reason' in a.solver) push('solver', '', '', '', '', 'pearson_r', { kind: 'reason', reason: a.solver.reason });
  else {
    const s = a.solver.value;
    push('solver', '', '', '', '', 'pearson_r', val(s.pearson.r));
    push('solver', '', '', '', '', 'pearson_p', val(s.pearson.p));
    push('solver', '', '', '', '', 'spearman_rho', val(s.spearman.r));
    push('solver', '', '', '', '', 'spearman_p', val(s.spearman.p));
    fit('problem_solving', { value: s.regression });
  }
}
