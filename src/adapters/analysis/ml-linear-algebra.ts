import jstat from 'jstat';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { PCA } from 'ml-pca';
import type { LeastSquaresFit, NumericPort, PrincipalAxes, Rows } from '../../core/analysis/numeric-port.js';

// Relative size of the smallest singular value below which a design counts as collinear: its
// coefficients would be noise amplified by 1e10 or more, so no regression is reported.
const COLLINEAR = 1e-10;

const toMatrix = (rows: Rows): Matrix => new Matrix(rows.map((r) => [...r]));

function principalAxes(centred: Rows): PrincipalAxes {
  // Centred by the caller, scaled too if it wants a correlation PCA: ml-pca only re-centres
  // (a no-op) and takes the SVD, so its eigenvalues carry the n - 1 denominator.
  const pca = new PCA(toMatrix(centred), { method: 'SVD', center: true, scale: false });
  return { variances: [...pca.getEigenvalues()], axes: pca.getLoadings().to2DArray() };
}

function leastSquares(design: Rows, y: readonly number[]): LeastSquaresFit {
  const x = toMatrix(design);
  // SVD rather than the normal equations: the same decomposition gives the coefficients and
  // (X'X)^-1 = V S^-2 V' without squaring the condition number.
  const svd = new SingularValueDecomposition(x, { autoTranspose: false });
  const s = svd.diagonal;
  const top = s[0] ?? 0;
  if (x.rows < x.columns || top === 0 || s.some((v) => v / top < COLLINEAR)) {
    throw new Error(
      `the design (${x.rows} observations x ${x.columns} columns) is rank-deficient: a predictor is constant or a combination of others, or there are too few observations`,
    );
  }
  const v = svd.rightSingularVectors;
  const u = svd.leftSingularVectors;
  const uty = u.transpose().mmul(Matrix.columnVector([...y]));
  const scaled = Matrix.columnVector(s.map((si, k) => uty.get(k, 0) / si));
  const coefficients = v.mmul(scaled).getColumn(0);
  const vs = v.clone();
  for (let k = 0; k < s.length; k++) vs.mulColumn(k, 1 / (s[k]! * s[k]!));
  return { coefficients, inverseGram: vs.mmul(v.transpose()).to2DArray() };
}

/**
 * jstat computes the t CDF through df / (t² + df), which is NaN once t² overflows (an exact
 * fit's t is ±Infinity); the limits are known. Its incomplete beta stops at a relative step of
 * 3e-7: p-values agree with scipy to about 1e-6 relative, finer than a report prints.
 */
function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t * t)) return t > 0 ? 1 : 0;
  return jstat.studentt.cdf(t, df);
}

/** The analyses' numeric kernels from ml-pca, ml-matrix and jstat. */
export const mlLinearAlgebra: NumericPort = { principalAxes, leastSquares, studentTCdf };
