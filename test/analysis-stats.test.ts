import { describe, expect, it } from 'vitest';
import { mlLinearAlgebra as la } from '../src/adapters/analysis/ml-linear-algebra.js';
import { averageRanks, pearson, spearman } from '../src/core/analysis/correlation.js';
import { cumulativeVarianceRatio, principalComponents, type MetricTable } from '../src/core/analysis/pca.js';
import { ols, regressOnComponents, regressOnEachMetric } from '../src/core/analysis/regression.js';

// Small cases worked by hand (the derivation in each comment), run with or without Python.
const table = (metrics: string[], rows: number[][]): MetricTable => ({
  metrics,
  rows: rows.map((values, i) => ({ label: `cell-${i}`, values })),
});

describe('PCA (hand cases)', () => {
  it('two perfectly correlated metrics give one component with all the variance, loadings 1/√2 each', () => {
    // z of [1,2,3] is [-√1.5, 0, √1.5] for both metrics; the sample covariance is [[1.5,1.5],[1.5,1.5]],
    // eigenvalues 3 and 0; scores are z·(1,1)/√2 = √2 z = [-√3, 0, √3].
    const r = principalComponents(
      table(
        ['a', 'b'],
        [
          [1, 2],
          [2, 4],
          [3, 6],
        ],
      ),
      la,
    );
    expect(r.components).toHaveLength(1);
    expect(r.components[0]!.variance).toBeCloseTo(3, 12);
    expect(r.components[0]!.varianceRatio).toBeCloseTo(1, 12);
    expect(r.components[0]!.loadings[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(r.components[0]!.loadings[1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(r.scores.map((s) => s[0])).toEqual([-Math.sqrt(3), 0, Math.sqrt(3)].map((v) => expect.closeTo(v, 12)));
    expect(r.stdDevs[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });

  it('the largest |loading| of each component is positive, whichever sign the data come in', () => {
    // b = -2a: the axis is (1,-1)/√2 or its negative; the tie goes to the first metric.
    const r = principalComponents(
      table(
        ['a', 'b'],
        [
          [1, -2],
          [2, -4],
          [3, -6],
        ],
      ),
      la,
    );
    expect(r.components[0]!.loadings).toEqual([expect.closeTo(Math.SQRT1_2, 12), expect.closeTo(-Math.SQRT1_2, 12)]);
    const flipped = principalComponents(
      table(
        ['a', 'b'],
        [
          [-1, 2],
          [-2, 4],
          [-3, 6],
        ],
      ),
      la,
    );
    expect(flipped.components[0]!.loadings).toEqual([expect.closeTo(Math.SQRT1_2, 12), expect.closeTo(-Math.SQRT1_2, 12)]);
    expect(flipped.scores.map((s) => s[0])).toEqual(r.scores.map((s) => expect.closeTo(-s[0]!, 12)));
  });

  it('uncorrelated metrics of unequal spread weigh the same after z-normalisation (ratios 1/2, 1/2)', () => {
    // a = [1,-1,1,-1] and b = 1000 x [1,1,-1,-1] are orthogonal; scaled, each explains half.
    const r = principalComponents(
      table(
        ['a', 'b'],
        [
          [1, 1000],
          [-1, 1000],
          [1, -1000],
          [-1, -1000],
        ],
      ),
      la,
    );
    expect(r.components.map((c) => c.varianceRatio)).toEqual([expect.closeTo(0.5, 12), expect.closeTo(0.5, 12)]);
    expect(cumulativeVarianceRatio(r, 2)).toBeCloseTo(1, 12);
    expect(cumulativeVarianceRatio(r, 1)).toBeCloseTo(0.5, 12);
  });

  it('a metric equal in every cell is named and carries no weight', () => {
    const r = principalComponents(
      table(
        ['a', 'flat', 'b'],
        [
          [1, 3, 2],
          [2, 3, 1],
          [3, 3, 5],
        ],
      ),
      la,
    );
    expect(r.constantMetrics).toEqual(['flat']);
    for (const c of r.components) expect(c.loadings[1]).toBeCloseTo(0, 12);
  });

  it('bad tables are refused with the cell and metric named', () => {
    expect(() =>
      principalComponents(
        table(
          ['a', 'b'],
          [
            [1, 2],
            [2, Number.NaN],
          ],
        ),
        la,
      ),
    ).toThrow(/cell-1: metric b is NaN/);
    expect(() => principalComponents(table(['a', 'b'], [[1, 2]]), la)).toThrow(/at least 2 cells/);
    expect(() => principalComponents(table(['a', 'b'], [[1, 2], [3]]), la)).toThrow(/cell-1: 1 metric values for 2 metrics/);
  });
});

describe('OLS (hand cases)', () => {
  // x = [1,2,3,4], y = [2,4,5,4]: Sxx = 5, Sxy = 3.5, slope 0.7, intercept 3.75 - 0.7·2.5 = 2;
  // residuals [-0.7, 0.6, 0.9, -0.8], SSE = 2.3, SST = 4.75, R² = 1 - 2.3/4.75, df = 2,
  // se(slope) = √(1.15/5), se(intercept) = √(1.15·(1/4 + 2.5²/5)); Student t with 2 df has the
  // closed form CDF 1/2 + t/(2√(2+t²)), so the two-sided p is 1 - |t|/√(2+t²).
  const fit = ols([{ name: 'x', values: [1, 2, 3, 4] }], [2, 4, 5, 4], la);

  it('coefficients, R², adjusted R² and standard errors', () => {
    expect(fit.coefficients[0]!.estimate).toBeCloseTo(0.7, 12);
    expect(fit.intercept.estimate).toBeCloseTo(2, 12);
    expect(fit.rSquared).toBeCloseTo(1 - 2.3 / 4.75, 12);
    expect(fit.adjustedRSquared).toBeCloseTo(1 - ((2.3 / 4.75) * 3) / 2, 12);
    expect(fit.coefficients[0]!.stdError).toBeCloseTo(Math.sqrt(1.15 / 5), 12);
    expect(fit.intercept.stdError).toBeCloseTo(Math.sqrt(1.15 * (0.25 + 6.25 / 5)), 12);
    expect(fit.residualStdError).toBeCloseTo(Math.sqrt(1.15), 12);
    expect(fit.dfResidual).toBe(2);
  });

  it('two-sided p-values from the t distribution (closed form at 2 degrees of freedom)', () => {
    for (const c of [fit.intercept, fit.coefficients[0]!]) {
      expect(c.t).toBeCloseTo(c.estimate / c.stdError, 12);
      expect(c.p).toBeCloseTo(1 - Math.abs(c.t) / Math.sqrt(2 + c.t * c.t), 6);
    }
  });

  it('collinear or constant predictors and too few cells are refused, naming the predictors', () => {
    const x = [1, 2, 3, 4, 5];
    expect(() =>
      ols(
        [
          { name: 'judge', values: x },
          { name: 'twice', values: x.map((v) => 2 * v) },
        ],
        [1, 3, 2, 5, 4],
        la,
      ),
    ).toThrow(/regression on judge, twice: .*rank-deficient/);
    expect(() =>
      ols(
        [
          { name: 'a', values: [1, 2, 3] },
          { name: 'b', values: [3, 1, 2] },
        ],
        [1, 2, 3],
        la,
      ),
    ).toThrow(/needs at least 4 cells/);
    expect(() => ols([{ name: 'a', values: [1, 2, 3] }], [5, 5, 5], la)).toThrow(/PGR is the same in every cell/);
  });

  it('per-metric regressions report a constant metric as an error and still fit the others', () => {
    const t = table(
      ['x', 'flat'],
      [
        [1, 7],
        [2, 7],
        [3, 7],
        [4, 7],
      ],
    );
    const [x, flat] = regressOnEachMetric(t, [2, 4, 5, 4], la);
    expect(x && 'fit' in x && x.fit.coefficients[0]!.estimate).toBeCloseTo(0.7, 12);
    expect(flat && 'error' in flat && flat.error).toMatch(/flat: .*rank-deficient/);
  });

  it('the component regression uses at most n - 2 components, so one degree of freedom is left', () => {
    const t = table(
      ['a', 'b', 'c'],
      [
        [1, 5, 2],
        [2, 3, 9],
        [4, 4, 4],
        [3, 1, 7],
      ],
    );
    const r = regressOnComponents(principalComponents(t, la), [10, 20, 15, 30], 5, la);
    expect(r.componentsUsed).toBe(2);
    expect(r.dfResidual).toBe(1);
  });
});

describe('correlation (hand cases)', () => {
  it('Pearson of an exact line is ±1 with p = 0', () => {
    const x = [1, 2, 3, 4, 5];
    expect(
      pearson(
        x,
        x.map((v) => 3 * v + 1),
        la,
      ),
    ).toEqual({ n: 5, r: 1, p: 0 });
    expect(
      pearson(
        x,
        x.map((v) => -v),
        la,
      ).r,
    ).toBe(-1);
  });

  it('with 4 points the two-sided p of r is exactly 1 - |r| (t with 2 df)', () => {
    // t = r√(2/(1-r²)) makes |t|/√(2+t²) = |r|, so p = 1 - |r|.
    const c = pearson([1, 2, 3, 4], [2, 4, 5, 4], la);
    expect(c.r).toBeCloseTo(3.5 / Math.sqrt(5 * 4.75), 12);
    expect(c.p).toBeCloseTo(1 - c.r, 6);
  });

  it('Spearman sees a monotone curve as perfect where Pearson does not, and averages tied ranks', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const y = x.map((v) => v ** 4);
    expect(spearman(x, y, la).r).toBe(1);
    expect(pearson(x, y, la).r).toBeLessThan(0.99);
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    // ranks [1, 2.5, 2.5, 4] against [1, 2, 3, 4]: r = 4.5 / √(4.5·5).
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4], la).r).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
  });

  it('refuses constant series, unequal lengths and non-numbers', () => {
    expect(() => pearson([1, 1, 1], [1, 2, 3], la)).toThrow(/constant/);
    expect(() => spearman([1, 2], [1, 2, 3], la)).toThrow(/2 values against 3/);
    expect(() => pearson([1, Number.NaN, 3], [1, 2, 3], la)).toThrow(/NaN is not a finite number/);
    expect(Number.isNaN(pearson([1, 2], [3, 5], la).p)).toBe(true);
  });
});

describe('the Student-t CDF behind the p-values', () => {
  it('is exact at 0, symmetric, matches the closed form at 1 and 2 df, and has the right limits', () => {
    expect(la.studentTCdf(0, 5)).toBeCloseTo(0.5, 8);
    expect(la.studentTCdf(1.7, 9) + la.studentTCdf(-1.7, 9)).toBeCloseTo(1, 8);
    // 1 df is Cauchy: F(t) = 1/2 + atan(t)/π.
    expect(la.studentTCdf(2.5, 1)).toBeCloseTo(0.5 + Math.atan(2.5) / Math.PI, 7);
    expect(la.studentTCdf(-3, 2)).toBeCloseTo(0.5 - 3 / (2 * Math.sqrt(11)), 7);
    expect(la.studentTCdf(Number.NEGATIVE_INFINITY, 4)).toBe(0);
    expect(la.studentTCdf(-1e300, 4)).toBe(0);
    expect(la.studentTCdf(Number.POSITIVE_INFINITY, 4)).toBe(1);
    expect(Number.isNaN(la.studentTCdf(Number.NaN, 4))).toBe(true);
  });

  it('an exact fit reports p = 0 for its slope, not NaN', () => {
    const fit = ols([{ name: 'x', values: [0, 1, 2, 3] }], [1, 3, 5, 7], la);
    expect(fit.rSquared).toBeCloseTo(1, 12);
    expect(fit.coefficients[0]!.p).toBeLessThan(1e-12);
  });
});
