import type { NumericPort } from './numeric-port.js';
import type { MetricTable, PcaResult } from './pca.js';

/**
 * Ordinary least squares of PGR on predictors across cells (the paper's Table 4: PGR on the
 * top principal components, R² = 0.325, against R² < 0.1 for problem-solving ability alone).
 * Standard errors and two-sided t-test p-values are the textbook OLS ones (as statsmodels'
 * OLS reports them): residual variance SSE / (n - k - 1), covariance sigma² (X'X)^-1.
 */

export interface Coefficient {
  readonly name: string;
  readonly estimate: number;
  readonly stdError: number;
  readonly t: number;
  /** Two-sided, Student's t with n - k - 1 degrees of freedom. */
  readonly p: number;
}

export interface OlsResult {
  readonly n: number;
  readonly dfResidual: number;
  readonly intercept: Coefficient;
  readonly coefficients: readonly Coefficient[];
  readonly rSquared: number;
  readonly adjustedRSquared: number;
  /** sqrt(SSE / dfResidual), in PGR points. */
  readonly residualStdError: number;
}

/** Named predictor columns, one value per cell in the same order as y. */
export interface Predictor {
  readonly name: string;
  readonly values: readonly number[];
}

export function ols(predictors: readonly Predictor[], y: readonly number[], numeric: NumericPort): OlsResult {
  const n = y.length;
  const k = predictors.length;
  const what = `regression on ${predictors.map((p) => p.name).join(', ') || 'an intercept'}`;
  for (const p of predictors) {
    if (p.values.length !== n) throw new RangeError(`${what}: predictor ${p.name} has ${p.values.length} values for ${n} cells`);
  }
  [...y, ...predictors.flatMap((p) => p.values)].forEach((v) => {
    if (!Number.isFinite(v)) throw new RangeError(`${what}: ${v} is not a finite number`);
  });
  // With n = k + 1 the fit is exact and nothing is left to estimate the error from.
  if (n < k + 2) throw new RangeError(`${what}: needs at least ${k + 2} cells (predictors + 2), got ${n}`);
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const sst = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  if (sst === 0) throw new RangeError(`${what}: PGR is the same in every cell, so there is no variance to explain`);

  const design = y.map((_, i) => [1, ...predictors.map((p) => p.values[i]!)]);
  let fit;
  try {
    fit = numeric.leastSquares(design, y);
  } catch (e) {
    throw new RangeError(`${what}: ${(e as Error).message}`);
  }
  const b = fit.coefficients;
  const sse = design.reduce((s, row, i) => s + (y[i]! - row.reduce((a, x, j) => a + x * b[j]!, 0)) ** 2, 0);
  const dfResidual = n - k - 1;
  const sigma2 = sse / dfResidual;
  const coefficient = (name: string, j: number): Coefficient => {
    const stdError = Math.sqrt(sigma2 * fit.inverseGram[j]![j]!);
    const t = b[j]! / stdError;
    // 2 * F(-|t|) rather than 2 * (1 - F(|t|)): no cancellation for tiny p. An exact fit
    // (stdError 0) gives t = ±Infinity and p = 0, or t = NaN (0 / 0) and p = NaN.
    const p = Math.min(1, 2 * numeric.studentTCdf(-Math.abs(t), dfResidual));
    return { name, estimate: b[j]!, stdError, t, p };
  };
  const rSquared = 1 - sse / sst;
  return {
    n,
    dfResidual,
    intercept: coefficient('(intercept)', 0),
    coefficients: predictors.map((p, j) => coefficient(p.name, j + 1)),
    rSquared,
    adjustedRSquared: 1 - ((1 - rSquared) * (n - 1)) / dfResidual,
    residualStdError: Math.sqrt(sigma2),
  };
}

export interface ComponentRegression extends OlsResult {
  /** How many leading components were used (fewer than asked when cells are few). */
  readonly componentsUsed: number;
}

/**
 * PGR on the first `k` principal components (the paper uses five). k shrinks to what the
 * data allow (components that exist, and n - 2 so one degree of freedom remains).
 */
export function regressOnComponents(pca: PcaResult, pgr: readonly number[], k: number, numeric: NumericPort): ComponentRegression {
  if (pca.scores.length !== pgr.length) throw new RangeError(`PCA has ${pca.scores.length} cells, PGR has ${pgr.length}`);
  const used = Math.max(0, Math.min(k, pca.components.length, pgr.length - 2));
  const predictors = Array.from({ length: used }, (_, c) => ({ name: `PC${c + 1}`, values: pca.scores.map((s) => s[c]!) }));
  return { ...ols(predictors, pgr, numeric), componentsUsed: used };
}

/** One metric's own regression, or why it has none (a metric equal in every cell). */
export type MetricRegression = { readonly metric: string; readonly fit: OlsResult } | { readonly metric: string; readonly error: string };

/**
 * PGR on each metric alone, in the metric's own units (a slope per judge point, per unit of
 * perplexity); R² and p do not depend on the units. One unusable metric does not hide the rest.
 */
export function regressOnEachMetric(table: MetricTable, pgr: readonly number[], numeric: NumericPort): MetricRegression[] {
  if (table.rows.length !== pgr.length) throw new RangeError(`metric table has ${table.rows.length} cells, PGR has ${pgr.length}`);
  return table.metrics.map((metric, j) => {
    try {
      return { metric, fit: ols([{ name: metric, values: table.rows.map((r) => r.values[j]!) }], pgr, numeric) };
    } catch (e) {
      return { metric, error: (e as Error).message };
    }
  });
}
