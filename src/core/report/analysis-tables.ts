import type { AnalysisModel } from '../analysis/run-analysis.js';
import type { OlsResult } from '../analysis/regression.js';
import type { MetricId } from '../metrics/metric-ids.js';
import { fixed } from './svg-pca.js';

/**
 * The analyses as tables of text, the same for the markdown and html reports (and the
 * dashboard's view): one place decides how many digits each statistic gets.
 */

export interface AnalysisTable {
  readonly id: string;
  readonly title: string;
  /** Sentences above the table (what it is, what was left out). */
  readonly lines: readonly string[];
  readonly head: readonly string[];
  /** 'l' or 'r' per column. */
  readonly align: readonly ('l' | 'r')[];
  readonly rows: readonly (readonly string[])[];
  /** Why the table has no rows, when it has none. */
  readonly missing?: string;
}

export const METRIC_LABEL: Readonly<Record<MetricId, string>> = {
  'difficulty.judge': 'Difficulty (judge)',
  'difficulty.openJudge': 'Difficulty (open judge)',
  'difficulty.perplexity': 'Difficulty (perplexity)',
  'quality.judge': 'Quality (judge)',
  'quality.openJudge': 'Quality (open judge)',
  'quality.reward': 'Quality (reward)',
  'diversity.instruction': 'Instr. diversity (c-dist)',
  'diversity.response': 'Resp. diversity (c-dist)',
};

/** Judge scores and perplexities read well with two decimals; c-dist needs three. */
export function metricText(m: MetricId, v: number | undefined): string {
  if (v === undefined) return '';
  return v.toFixed(m.startsWith('diversity.') ? 3 : 2);
}

export function pText(p: number): string {
  if (Number.isNaN(p)) return 'n/a';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

export const pct = (ratio: number) => (100 * ratio).toFixed(1);

/** Short column heads for a terminal 80-120 columns wide (the dashboard's analyses view). */
export const METRIC_SHORT: Readonly<Record<MetricId, string>> = {
  'difficulty.judge': 'Diff J',
  'difficulty.openJudge': 'Diff OJ',
  'difficulty.perplexity': 'PPL',
  'quality.judge': 'Qual J',
  'quality.openJudge': 'Qual OJ',
  'quality.reward': 'Reward',
  'diversity.instruction': 'I-div',
  'diversity.response': 'R-div',
};

type Labels = Readonly<Record<MetricId, string>>;

function metricTable(a: AnalysisModel, labels: Labels): AnalysisTable {
  const lines = [
    `${a.used} of ${a.cells.length} cells enter the PCA and the regressions (every metric below and a PGR); the others are listed with the reason.`,
    ...(a.droppedMetrics.length > 0 ? [`Not computed in any cell, so left out: ${a.droppedMetrics.join(', ')}.`] : []),
  ];
  return {
    id: 'analysis-metrics',
    title: 'Intrinsic metrics per cell (Table 8)',
    lines,
    head: ['Generator', 'Setting', ...a.metrics.map((m) => labels[m]), 'PGR', 'In analysis'],
    align: ['l', 'l', ...a.metrics.map(() => 'r' as const), 'r', 'l'],
    rows: a.cells.map((c) => [
      c.generator,
      c.setting,
      ...a.metrics.map((m) => metricText(m, c.values[m])),
      c.pgr === undefined ? '' : c.pgr.toFixed(1),
      c.leftOut === undefined ? 'yes' : `no: ${c.leftOut}`,
    ]),
    ...(a.cells.length === 0 && { missing: 'no cell has intrinsic metrics or a PGR yet' }),
  };
}

function pcaTable(a: AnalysisModel, labels: Labels): AnalysisTable {
  const base = { id: 'analysis-pca', title: 'PCA of the intrinsic metrics', head: [] as string[], align: [] as ('l' | 'r')[] };
  if ('reason' in a.pca) return { ...base, lines: [], rows: [], missing: a.pca.reason };
  const p = a.pca.value;
  const k = Math.min(5, p.components.length);
  const k5 = p.cumulative[k - 1] ?? 0;
  return {
    ...base,
    lines: [
      `Metrics z-normalised across the ${a.used} cells, then PCA. ${firstComponents(k)} ${k === 1 ? 'explains' : 'explain'} ${pct(k5)}% of the variance (paper: 93.4% for five).`,
      ...(p.constantMetrics.length > 0 ? [`Equal in every cell, so carrying no information: ${p.constantMetrics.join(', ')}.`] : []),
    ],
    head: ['Component', 'Explained (%)', 'Cumulative (%)', ...p.metrics.map((m) => labels[m as MetricId] ?? m)],
    align: ['l', 'r', 'r', ...p.metrics.map(() => 'r' as const)],
    rows: p.components.map((c, k) => [`PC${k + 1}`, pct(c.varianceRatio), pct(p.cumulative[k]!), ...c.loadings.map((w) => fixed(w, 3))]),
  };
}

const firstComponents = (k: number) => (k === 1 ? 'The first component' : `The first ${k} components`);

function fitLines(f: OlsResult): string {
  return `n = ${f.n}, R² = ${f.rSquared.toFixed(3)}, adjusted R² = ${f.adjustedRSquared.toFixed(3)}, residual SE = ${f.residualStdError.toFixed(2)} PGR points.`;
}

function componentTable(a: AnalysisModel): AnalysisTable {
  const base = {
    id: 'analysis-regression',
    title: 'Regression of PGR on the top principal components (Table 4)',
    head: ['Term', 'Coefficient', 'SE', 't', 'p'],
    align: ['l', 'r', 'r', 'r', 'r'] as ('l' | 'r')[],
  };
  if ('reason' in a.componentRegression) return { ...base, lines: [], rows: [], missing: a.componentRegression.reason };
  const f = a.componentRegression.value;
  return {
    ...base,
    lines: [`PGR on ${firstComponents(f.componentsUsed).toLowerCase()} (the paper uses five: R² = 0.325). ${fitLines(f)}`],
    rows: [f.intercept, ...f.coefficients].map((c) => [c.name, c.estimate.toFixed(3), c.stdError.toFixed(3), c.t.toFixed(2), pText(c.p)]),
  };
}

function eachMetricTable(a: AnalysisModel, labels: Labels): AnalysisTable {
  return {
    id: 'analysis-each-metric',
    title: 'Regression of PGR on each metric alone',
    lines: ['The slope is in PGR points per unit of the metric (a judge point, a unit of perplexity, of c-dist).'],
    head: ['Metric', 'Coefficient', 'SE', 'p', 'R²', 'Adj. R²', 'n', 'Note'],
    align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    rows: a.metricRegressions.map((r) => {
      // The reason goes last, where a narrow terminal may cut it without shifting the numbers.
      if ('reason' in r.fit) return [labels[r.metric], 'n/a', '', '', '', '', '', r.fit.reason];
      const f = r.fit.value;
      const c = f.coefficients[0]!;
      return [
        labels[r.metric],
        c.estimate.toFixed(3),
        c.stdError.toFixed(3),
        pText(c.p),
        f.rSquared.toFixed(3),
        f.adjustedRSquared.toFixed(3),
        String(f.n),
        '',
      ];
    }),
    ...(a.metricRegressions.length === 0 && { missing: 'no intrinsic metrics computed in any cell' }),
  };
}

function solverTable(a: AnalysisModel): AnalysisTable {
  const base = {
    id: 'analysis-solver',
    title: "PGR against the generator's own problem-solving score",
    head: ['Statistic', 'Value', 'p', 'n'],
    align: ['l', 'r', 'r', 'r'] as ('l' | 'r')[],
  };
  if ('reason' in a.solver) return { ...base, lines: [], rows: [], missing: a.solver.reason };
  const s = a.solver.value;
  return {
    ...base,
    lines: ["One point per scored cell: its generator's problem-solving score against the PGR its data gave (the paper: R² < 0.1 for problem solving alone)."],
    rows: [
      ['Pearson r', s.pearson.r.toFixed(3), pText(s.pearson.p), String(s.pearson.n)],
      ['Spearman ρ', s.spearman.r.toFixed(3), pText(s.spearman.p), String(s.spearman.n)],
      ['R² (PGR on problem solving)', s.regression.rSquared.toFixed(3), pText(s.regression.coefficients[0]!.p), String(s.regression.n)],
    ],
  };
}

/** `labels`: metric names for the column heads and rows (the terminal view passes METRIC_SHORT). */
export function analysisTables(a: AnalysisModel, labels: Labels = METRIC_LABEL): AnalysisTable[] {
  return [metricTable(a, labels), pcaTable(a, labels), componentTable(a), eachMetricTable(a, labels), solverTable(a)];
}
