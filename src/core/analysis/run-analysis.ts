import { METRICS, type CellMetricSummary, type MetricId } from '../metrics/metric-ids.js';
import type { PgrValue } from '../snapshot.js';
import { solverCorrelation, type CorrelationResult } from './correlation.js';
import type { NumericPort } from './numeric-port.js';
import { cumulativeVarianceRatio, principalComponents, type PcaResult } from './pca.js';
import { ols, regressOnComponents, type ComponentRegression, type OlsResult } from './regression.js';

/**
 * The paper's second half for one run (Table 4, Figures 4-6): which cells and metrics enter,
 * PCA of the intrinsic metrics, PGR regressed on the top components and on each metric, and
 * PGR against the generators' own problem-solving scores. Every statistic is either a number
 * or the reason it is missing: a run in progress has few cells, and a report must say so
 * rather than print a fit of three points as a finding.
 */

/** A number, or why there is none. */
export type Outcome<T> = { readonly value: T } | { readonly reason: string };

export interface AnalysisCellInput {
  readonly cellId: number;
  readonly generator: string;
  readonly setting: string;
  /** The cell's PGR (cells.scores_json), absent while unscored. */
  readonly pgr?: PgrValue;
}

export interface AnalysisInput {
  /** Every cell of the run, in the report's order. */
  readonly cells: readonly AnalysisCellInput[];
  /** What the metrics stage stored (store/metric-summary-repo.ts); `problems`: why a metric with rows has no value. */
  readonly summaries: readonly (CellMetricSummary & { readonly problems?: Partial<Record<MetricId, string>> })[];
  /** Generator id -> its own problem-solving score. */
  readonly problemSolving: ReadonlyMap<string, number>;
}

export interface AnalysisCell {
  readonly cellId: number;
  readonly generator: string;
  readonly setting: string;
  readonly values: Partial<Record<MetricId, number>>;
  readonly counts: Partial<Record<MetricId, number>>;
  /** The PGR value, when the cell has one (a flagged one too, shown here but left out of the fits). */
  readonly pgr?: number;
  /** Why the cell is not in the PCA and regressions; absent when it is. */
  readonly leftOut?: string;
}

export interface AnalysisModel {
  /** Every cell with a metric or a PGR: the per-cell table (the paper's Table 8) and its drill-down. */
  readonly cells: readonly AnalysisCell[];
  /** Metrics that some cell has, in METRICS' order: the PCA's columns. */
  readonly metrics: readonly MetricId[];
  /** Metrics no cell has, named so the reader knows what the components are made of. */
  readonly droppedMetrics: readonly MetricId[];
  /** Cells in the PCA and regressions (every metric above and a PGR). */
  readonly used: number;
  readonly pca: Outcome<PcaResult & { readonly cumulative: readonly number[] }>;
  /** PGR on the top min(5, possible) components (the paper: R² 0.325). */
  readonly componentRegression: Outcome<ComponentRegression>;
  readonly metricRegressions: readonly { readonly metric: MetricId; readonly fit: Outcome<OlsResult> }[];
  /** PGR against each cell's generator's problem-solving score (the paper: R² < 0.1). */
  readonly solver: Outcome<SolverAnalysis>;
}

export interface SolverAnalysis {
  readonly points: readonly { readonly generator: string; readonly setting: string; readonly solverScore: number; readonly pgr: number }[];
  readonly pearson: CorrelationResult;
  readonly spearman: CorrelationResult;
  readonly regression: OlsResult;
}

/** The paper regresses PGR on five components. */
const TOP_COMPONENTS = 5;

export function notEnoughCells(n: number, atLeast: number): string {
  return `not enough cells (${n} of at least ${atLeast})`;
}

function attempt<T>(f: () => T): Outcome<T> {
  try {
    return { value: f() };
  } catch (e) {
    return { reason: (e as Error).message };
  }
}

function leftOutReason(
  values: Partial<Record<MetricId, number>>,
  metrics: readonly MetricId[],
  problems: Partial<Record<MetricId, string>>,
  pgr?: PgrValue,
): string | undefined {
  const missing = metrics.filter((m) => values[m] === undefined);
  if (missing.length > 0) {
    const why = missing.map((m) => (problems[m] ? `${m} (${problems[m]})` : m));
    return `no ${why.join(', ')}`;
  }
  if (!pgr) return 'no PGR yet';
  if (!('value' in pgr)) return `no PGR: ${pgr.reason}`;
  // A flagged PGR is not recovery (a base model above the reference, a loss past -50): fitting
  // it would let one broken setup steer every slope. The matrix still shows it, marked !.
  if (pgr.flag !== undefined) return `PGR flagged: ${pgr.flag}`;
  return undefined;
}

function solverAnalysis(input: AnalysisInput, numeric: NumericPort): Outcome<SolverAnalysis> {
  const points = input.cells.flatMap((c) => {
    const score = input.problemSolving.get(c.generator);
    return score !== undefined && c.pgr && 'value' in c.pgr && c.pgr.flag === undefined
      ? [{ generator: c.generator, setting: c.setting, solverScore: score, pgr: c.pgr.value }]
      : [];
  });
  if (input.problemSolving.size === 0) return { reason: 'no generator has a problem-solving score (evaluate.problemSolving)' };
  if (points.length < 3) return { reason: notEnoughCells(points.length, 3) + ' with an unflagged PGR and a problem-solving score' };
  return attempt(() => {
    const corr = solverCorrelation(points, numeric);
    const regression = ols(
      [{ name: 'problem solving', values: points.map((p) => p.solverScore) }],
      points.map((p) => p.pgr),
      numeric,
    );
    return { points, pearson: corr.pearson, spearman: corr.spearman, regression };
  });
}

export function buildAnalysis(input: AnalysisInput, numeric: NumericPort): AnalysisModel {
  const byId = new Map(input.summaries.map((s) => [s.cellId, s]));
  const metrics = METRICS.filter((m) => input.summaries.some((s) => s.values[m] !== undefined));
  const droppedMetrics = METRICS.filter((m) => !metrics.includes(m));
  const cells: AnalysisCell[] = input.cells.flatMap((c) => {
    const s = byId.get(c.cellId);
    if (!s && !(c.pgr && 'value' in c.pgr)) return [];
    const values = s?.values ?? {};
    const leftOut = s ? leftOutReason(values, metrics, s.problems ?? {}, c.pgr) : 'no intrinsic metrics computed';
    const pgr = c.pgr && 'value' in c.pgr ? { pgr: c.pgr.value } : {};
    return [{ cellId: c.cellId, generator: c.generator, setting: c.setting, values, counts: s?.counts ?? {}, ...pgr, ...(leftOut && { leftOut }) }];
  });
  const used = cells.filter((c) => c.leftOut === undefined);
  const table = { metrics, rows: used.map((c) => ({ label: `${c.generator} ${c.setting}`, values: metrics.map((m) => c.values[m]!) })) };
  const pgr = used.map((c) => c.pgr!);

  let pca: AnalysisModel['pca'];
  if (metrics.length === 0) pca = { reason: 'no intrinsic metrics computed in any cell' };
  else if (used.length < 2) pca = { reason: notEnoughCells(used.length, 2) };
  else
    pca = attempt(() => {
      const p = principalComponents(table, numeric);
      return { ...p, cumulative: p.components.map((_, k) => cumulativeVarianceRatio(p, k + 1)) };
    });
  const componentRegression: AnalysisModel['componentRegression'] = !('value' in pca)
    ? { reason: pca.reason }
    : pca.value.components.length === 0
      ? { reason: 'every metric is the same in every cell: no component to regress on' }
      : used.length < 3
        ? { reason: notEnoughCells(used.length, 3) }
        : attempt(() => regressOnComponents(pca.value, pgr, TOP_COMPONENTS, numeric));
  const metricRegressions = metrics.map((metric, j) => ({
    metric,
    fit:
      used.length < 3
        ? { reason: notEnoughCells(used.length, 3) }
        : // Said in words rather than as the solver's rank-deficient design.
          table.rows.every((r) => r.values[j] === table.rows[0]!.values[j])
          ? { reason: `${metric} is the same in every cell: there is no slope to fit` }
          : attempt(() => ols([{ name: metric, values: table.rows.map((r) => r.values[j]!) }], pgr, numeric)),
  }));
  return {
    cells,
    metrics,
    droppedMetrics,
    used: used.length,
    pca,
    componentRegression,
    metricRegressions,
    solver: solverAnalysis(input, numeric),
  };
}
