import { describe, expect, it } from 'vitest';
import { mlLinearAlgebra } from '../../adapters/analysis/ml-linear-algebra.js';
import type { CellMetricSummary } from '../metrics/metric-ids.js';
import { buildAnalysis, type AnalysisCellInput, type AnalysisInput } from './run-analysis.js';

const cell = (cellId: number, generator: string, pgr?: number | string): AnalysisCellInput => ({
  cellId,
  generator,
  setting: 'math/instance',
  ...(pgr === undefined ? {} : { pgr: typeof pgr === 'number' ? { value: pgr } : { reason: pgr } }),
});
const summary = (cellId: number, generator: string, values: CellMetricSummary['values']): CellMetricSummary => ({
  cellId,
  generator,
  setting: 'math/instance',
  values,
  counts: Object.fromEntries(Object.keys(values).map((m) => [m, 10])),
});
const input = (cells: AnalysisCellInput[], summaries: AnalysisInput['summaries'], solver: Record<string, number> = {}): AnalysisInput => ({
  cells,
  summaries,
  problemSolving: new Map(Object.entries(solver)),
});

describe('which cells and metrics enter the analyses', () => {
  it('leaves out cells missing a metric or a PGR with the reason, and names the metrics no cell has', () => {
    const m = buildAnalysis(
      input(
        [cell(1, 'a', 10), cell(2, 'a', 'no base-model score on GSM8K'), cell(3, 'b'), cell(4, 'b', 5), cell(5, 'c', 7), cell(6, 'c')],
        [
          summary(1, 'a', { 'quality.judge': 3, 'diversity.response': 0.4 }),
          summary(2, 'a', { 'quality.judge': 4, 'diversity.response': 0.5 }),
          summary(3, 'b', { 'quality.judge': 2, 'diversity.response': 0.6 }),
          summary(4, 'b', { 'quality.judge': 2 }),
        ],
      ),
      mlLinearAlgebra,
    );
    expect(m.metrics).toEqual(['quality.judge', 'diversity.response']);
    expect(m.droppedMetrics).toEqual([
      'difficulty.judge',
      'difficulty.openJudge',
      'difficulty.perplexity',
      'quality.openJudge',
      'quality.reward',
      'diversity.instruction',
    ]);
    // Cell 6 has neither metrics nor a PGR: it is not an analysis row at all.
    expect(m.cells.map((c) => [c.cellId, c.leftOut])).toEqual([
      [1, undefined],
      [2, 'no PGR: no base-model score on GSM8K'],
      [3, 'no PGR yet'],
      [4, 'no diversity.response'],
      [5, 'no intrinsic metrics computed'],
    ]);
    expect(m.used).toBe(1);
    expect(m.pca).toEqual({ reason: 'not enough cells (1 of at least 2)' });
    expect(m.componentRegression).toEqual({ reason: 'not enough cells (1 of at least 2)' });
    expect(m.metricRegressions.map((r) => r.fit)).toEqual([{ reason: 'not enough cells (1 of at least 3)' }, { reason: 'not enough cells (1 of at least 3)' }]);
    expect(m.solver).toEqual({ reason: 'no generator has a problem-solving score (evaluate.problemSolving)' });
  });

  it('leaves a flagged PGR out of the fits and the correlation, saying why', () => {
    const flagged: AnalysisCellInput = {
      cellId: 2,
      generator: 'b',
      setting: 'math/instance',
      pgr: { value: 438, flag: 'the base model scores above the reference' },
    };
    const m = buildAnalysis(
      input([cell(1, 'a', 10), flagged], [summary(1, 'a', { 'quality.judge': 3 }), summary(2, 'b', { 'quality.judge': 4 })], { a: 50, b: 60 }),
      mlLinearAlgebra,
    );
    expect(m.cells.map((c) => [c.pgr, c.leftOut])).toEqual([
      [10, undefined],
      [438, 'PGR flagged: the base model scores above the reference'],
    ]);
    expect(m.solver).toEqual({ reason: 'not enough cells (1 of at least 3) with an unflagged PGR and a problem-solving score' });
  });

  it('names the embedding problem that kept a cell out', () => {
    const m = buildAnalysis(
      input(
        [cell(1, 'a', 1), cell(2, 'a', 2)],
        [summary(1, 'a', { 'diversity.instruction': 0.3 }), { ...summary(2, 'a', {}), problems: { 'diversity.instruction': 'embedding 1 is all zeros' } }],
      ),
      mlLinearAlgebra,
    );
    expect(m.cells[1]!.leftOut).toBe('no diversity.instruction (embedding 1 is all zeros)');
  });
});

describe('the statistics on a small run, by hand', () => {
  // One metric x = 1, 2, 3 against PGR y = 2, 4, 7: mean x 2, mean y 13/3; Sxx = 2, Sxy = 5, so
  // slope 2.5; SST = (49 + 1 + 64) / 9 = 114 / 9, SSR = 2.5² x 2 = 12.5, R² = 112.5 / 114.
  const cells = [cell(1, 'a', 2), cell(2, 'b', 4), cell(3, 'c', 7)];
  const sums = [summary(1, 'a', { 'quality.judge': 1 }), summary(2, 'b', { 'quality.judge': 2 }), summary(3, 'c', { 'quality.judge': 3 })];

  it('regresses PGR on the one metric and on its one component with the same R²', () => {
    const m = buildAnalysis(input(cells, sums), mlLinearAlgebra);
    const fit = m.metricRegressions[0]!.fit;
    if (!('value' in fit)) throw new Error(fit.reason);
    expect(fit.value.coefficients[0]!.estimate).toBeCloseTo(2.5, 12);
    expect(fit.value.intercept.estimate).toBeCloseTo(13 / 3 - 5, 12);
    expect(fit.value.rSquared).toBeCloseTo(112.5 / 114, 12);
    // Adjusted: 1 - (1 - R²)(n - 1)/(n - 2) = 1 - 2 x 1.5 / 114.
    expect(fit.value.adjustedRSquared).toBeCloseTo(1 - 3 / 114, 12);
    if (!('value' in m.pca)) throw new Error(m.pca.reason);
    expect(m.pca.value.components.map((c) => c.varianceRatio)).toEqual([1]);
    expect(m.pca.value.cumulative).toEqual([1]);
    if (!('value' in m.componentRegression)) throw new Error(m.componentRegression.reason);
    expect(m.componentRegression.value.componentsUsed).toBe(1);
    expect(m.componentRegression.value.rSquared).toBeCloseTo(112.5 / 114, 12);
  });

  it('correlates PGR with problem solving over every scored cell whose generator has a score, metrics or not', () => {
    // Scores 10, 20, 30 are x scaled: Pearson r = sqrt(R²) = sqrt(112.5 / 114); ranks agree: Spearman 1.
    const m = buildAnalysis(input(cells, [], { a: 10, b: 20, c: 30 }), mlLinearAlgebra);
    if (!('value' in m.solver)) throw new Error(m.solver.reason);
    expect(m.solver.value.pearson.r).toBeCloseTo(Math.sqrt(112.5 / 114), 12);
    expect(m.solver.value.spearman.r).toBeCloseTo(1, 12);
    expect(m.solver.value.regression.rSquared).toBeCloseTo(112.5 / 114, 12);
    expect(m.solver.value.regression.coefficients[0]!.estimate).toBeCloseTo(0.25, 12);
    const two = buildAnalysis(input(cells, [], { a: 10, b: 20 }), mlLinearAlgebra);
    expect(two.solver).toEqual({ reason: 'not enough cells (2 of at least 3) with an unflagged PGR and a problem-solving score' });
  });

  it('takes at most n - 2 components, so one degree of freedom is left', () => {
    // Two uncorrelated metrics over 3 cells: two components, but only one can be regressed on.
    const m = buildAnalysis(
      input(cells, [
        summary(1, 'a', { 'quality.judge': 1, 'difficulty.judge': 1 }),
        summary(2, 'b', { 'quality.judge': 2, 'difficulty.judge': 3 }),
        summary(3, 'c', { 'quality.judge': 3, 'difficulty.judge': 2 }),
      ]),
      mlLinearAlgebra,
    );
    if (!('value' in m.pca) || !('value' in m.componentRegression)) throw new Error('expected both');
    expect(m.pca.value.components).toHaveLength(2);
    expect(m.componentRegression.value.componentsUsed).toBe(1);
    expect(m.componentRegression.value.dfResidual).toBe(1);
  });

  it('says so when every metric is the same in every cell', () => {
    const same = cells.map((c) => summary(c.cellId, c.generator, { 'quality.judge': 4 }));
    const m = buildAnalysis(input(cells, same), mlLinearAlgebra);
    expect(m.componentRegression).toEqual({ reason: 'every metric is the same in every cell: no component to regress on' });
    expect(m.metricRegressions[0]!.fit).toEqual({ reason: 'quality.judge is the same in every cell: there is no slope to fit' });
  });
});
