/**
 * The numeric kernels behind the analyses (PCA, least squares, the Student-t CDF).
 *
 * Why a port: the issue asks for a well-kept library for the linear algebra (ml-pca,
 * ml-matrix) rather than a hand-written SVD, but core/ depends on no installed package
 * (.dependency-cruiser.cjs, rule core-no-packages). So core declares the few kernels it
 * needs and does the statistics around them (standardising, sign convention, R², tests);
 * adapters/analysis/ml-linear-algebra.ts implements them with ml-pca, ml-matrix and jstat.
 */

/** Rows of observations (one per cell), columns of variables. */
export type Rows = readonly (readonly number[])[];

export interface PrincipalAxes {
  /** Variance along each axis, largest first, with the n - 1 (sample) denominator. */
  readonly variances: readonly number[];
  /** axes[k][j]: weight of column j in axis k; each axis a unit vector, sign arbitrary. */
  readonly axes: readonly (readonly number[])[];
}

export interface LeastSquaresFit {
  /** b minimising |y - X b|, one per column of X. */
  readonly coefficients: readonly number[];
  /** (X'X)^-1: times the residual variance, the covariance of the coefficients. */
  readonly inverseGram: readonly (readonly number[])[];
}

export interface NumericPort {
  /** Principal axes of rows whose columns are already centred (and scaled, if wanted). */
  principalAxes(centred: Rows): PrincipalAxes;
  /** Least squares of y on the columns of X (no intercept added); throws when X'X is singular. */
  leastSquares(design: Rows, y: readonly number[]): LeastSquaresFit;
  /** P(T <= t) for Student's t with df degrees of freedom. */
  studentTCdf(t: number, df: number): number;
}
