import type { NumericPort } from './numeric-port.js';

/**
 * PCA of the intrinsic metrics across cells (the paper's Section 6: features z-normalised,
 * then PCA; its top five components explain 93.4% of the variance).
 */

/** One row per cell, one column per intrinsic metric (Table 8's columns). */
export interface MetricTable {
  readonly metrics: readonly string[];
  readonly rows: readonly { readonly label: string; readonly values: readonly number[] }[];
}

export interface PrincipalComponent {
  /** Variance of the standardised data along it (sample, n - 1 denominator). */
  readonly variance: number;
  /** Share of the total variance: what the paper's "explains 93.4%" sums. */
  readonly varianceRatio: number;
  /** Weight of each metric (same order as MetricTable.metrics); a unit vector. */
  readonly loadings: readonly number[];
}

export interface PcaResult {
  readonly metrics: readonly string[];
  readonly means: readonly number[];
  /** Population standard deviations (n denominator) used to z-normalise. */
  readonly stdDevs: readonly number[];
  /** Metrics equal in every cell: they carry no information and standardise to 0. */
  readonly constantMetrics: readonly string[];
  /** Largest variance first; components with no variance are left out. */
  readonly components: readonly PrincipalComponent[];
  /** scores[i][k]: cell i's coordinate on component k (the regression's predictors). */
  readonly scores: readonly (readonly number[])[];
}

/** Variance below this share of the total is rounding noise, not a component. */
const NO_VARIANCE = 1e-12;

/** Checks the table and says which cell and metric is wrong, not just that something is. */
function checkTable(table: MetricTable): void {
  if (table.metrics.length === 0) throw new RangeError('PCA needs at least one metric');
  if (table.rows.length < 2) throw new RangeError(`PCA needs at least 2 cells, got ${table.rows.length}`);
  for (const row of table.rows) {
    if (row.values.length !== table.metrics.length) {
      throw new RangeError(`cell ${row.label}: ${row.values.length} metric values for ${table.metrics.length} metrics`);
    }
    row.values.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new RangeError(`cell ${row.label}: metric ${table.metrics[j]} is ${v}, not a finite number`);
    });
  }
}

/**
 * z-normalisation as scikit-learn's StandardScaler does it (the population standard
 * deviation). The denominator only rescales every column by the same factor, so the variance
 * ratios and loadings are the same with n - 1; only the scale of the scores differs.
 */
function standardise(table: MetricTable) {
  const n = table.rows.length;
  const means = table.metrics.map((_, j) => table.rows.reduce((s, r) => s + r.values[j]!, 0) / n);
  const stdDevs = means.map((m, j) => Math.sqrt(table.rows.reduce((s, r) => s + (r.values[j]! - m) ** 2, 0) / n));
  // A constant metric would divide by zero; like StandardScaler, it stays at 0 (scale 1).
  const constant = stdDevs.map((sd, j) => sd <= 1e-12 * Math.max(1, Math.abs(means[j]!)));
  const z = table.rows.map((r) => r.values.map((v, j) => (constant[j] ? 0 : (v - means[j]!) / stdDevs[j]!)));
  return { means, stdDevs, constant, z };
}

/**
 * Each axis's sign is arbitrary in any SVD; flip it so the metric with the largest |loading|
 * (the first such, on a tie) loads positively, so the same run always reports the same signs.
 */
function orient(axis: readonly number[]): number[] {
  let best = 0;
  axis.forEach((w, j) => {
    if (Math.abs(w) > Math.abs(axis[best]!) + 1e-12) best = j;
  });
  return axis[best]! < 0 ? axis.map((w) => -w) : [...axis];
}

export function principalComponents(table: MetricTable, numeric: NumericPort): PcaResult {
  checkTable(table);
  const { means, stdDevs, constant, z } = standardise(table);
  const axes = numeric.principalAxes(z);
  const total = axes.variances.reduce((s, v) => s + v, 0);
  const components: PrincipalComponent[] = [];
  axes.variances.forEach((variance, k) => {
    if (total <= 0 || variance / total < NO_VARIANCE) return;
    components.push({ variance, varianceRatio: variance / total, loadings: orient(axes.axes[k]!) });
  });
  const scores = z.map((row) => components.map((c) => c.loadings.reduce((s, w, j) => s + w * row[j]!, 0)));
  return {
    metrics: [...table.metrics],
    means,
    stdDevs,
    constantMetrics: table.metrics.filter((_, j) => constant[j]),
    components,
    scores,
  };
}

/** Cumulative share of variance of the first k components (the paper's 93.4% for k = 5). */
export function cumulativeVarianceRatio(result: PcaResult, k: number): number {
  return result.components.slice(0, k).reduce((s, c) => s + c.varianceRatio, 0);
}
