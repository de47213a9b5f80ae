import type { NumericPort } from './numeric-port.js';

/**
 * Correlation of PGR with each generator's own problem-solving score (the paper's Table 7 and
 * Figures 4-6: a good solver is not necessarily a good data generator). Pearson for the linear
 * relation, Spearman for the ranking, which is what a reader of the figures compares.
 */

export interface CorrelationResult {
  readonly n: number;
  readonly r: number;
  /**
   * Two-sided p of r = 0 from t = r sqrt((n - 2) / (1 - r²)) with n - 2 degrees of freedom:
   * exact for Pearson under normality (scipy's pearsonr), the usual approximation for
   * Spearman (scipy's spearmanr). NaN with fewer than 3 pairs (no degrees of freedom).
   */
  readonly p: number;
}

function checkPairs(x: readonly number[], y: readonly number[], what: string): void {
  if (x.length !== y.length) throw new RangeError(`${what}: ${x.length} values against ${y.length}`);
  if (x.length < 2) throw new RangeError(`${what}: needs at least 2 pairs, got ${x.length}`);
  [...x, ...y].forEach((v) => {
    if (!Number.isFinite(v)) throw new RangeError(`${what}: ${v} is not a finite number`);
  });
}

function pearsonR(x: readonly number[], y: readonly number[], what: string): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Undefined, not 0: a constant series says nothing about association.
  if (sxx === 0 || syy === 0) throw new RangeError(`${what}: one series is constant, so r is undefined`);
  // Rounding can push |r| a hair past 1.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** 1-based ranks, ties sharing their mean rank (as scipy.stats.rankdata 'average'). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const rank = (start + end) / 2 + 1;
    for (let j = start; j <= end; j++) ranks[order[j]!.i] = rank;
    start = end + 1;
  }
  return ranks;
}

function withP(r: number, n: number, numeric: NumericPort): CorrelationResult {
  if (n < 3) return { n, r, p: Number.NaN };
  if (Math.abs(r) === 1) return { n, r, p: 0 };
  const t = r * Math.sqrt((n - 2) / (1 - r * r));
  return { n, r, p: Math.min(1, 2 * numeric.studentTCdf(-Math.abs(t), n - 2)) };
}

export function pearson(x: readonly number[], y: readonly number[], numeric: NumericPort): CorrelationResult {
  checkPairs(x, y, 'Pearson correlation');
  return withP(pearsonR(x, y, 'Pearson correlation'), x.length, numeric);
}

/** Pearson's r of the ranks. */
export function spearman(x: readonly number[], y: readonly number[], numeric: NumericPort): CorrelationResult {
  checkPairs(x, y, 'Spearman correlation');
  return withP(pearsonR(averageRanks(x), averageRanks(y), 'Spearman correlation'), x.length, numeric);
}

/** One generator's problem-solving score beside the PGR its data gave (one point per cell). */
export interface SolverPoint {
  readonly generator: string;
  readonly solverScore: number;
  readonly pgr: number;
}

export interface SolverCorrelation {
  readonly points: number;
  readonly pearson: CorrelationResult;
  readonly spearman: CorrelationResult;
}

/** Does solving well predict generating well? Both coefficients over the same points. */
export function solverCorrelation(points: readonly SolverPoint[], numeric: NumericPort): SolverCorrelation {
  const x = points.map((p) => p.solverScore);
  const y = points.map((p) => p.pgr);
  return { points: points.length, pearson: pearson(x, y, numeric), spearman: spearman(x, y, numeric) };
}
