import {
  addRanges,
  ZERO_RANGE,
  type BaselinePlanCost,
  type CellPlanCost,
  type GeneratorScorePlanCost,
  type GpuStages,
  type PlanBreakdown,
  type UsdRange,
} from './plan-breakdown.js';
import type { SolvePlan } from './plan-solve.js';
import type { MetricsPlan } from './plan-metrics.js';
import { scaleRange } from './plan-gpu.js';
import type { JudgePlan } from './plan-judge.js';
import type { CellPlan } from './plan.js';

/** One cell's planned stages, as plan-store gathers them. */
export interface CellStagesPlan {
  readonly generator: string;
  readonly setting: string;
  readonly generation: CellPlan;
  /** Undefined when the cell's benchmarks are not judged (math, code) or no judge is configured. */
  readonly judge?: JudgePlan | undefined;
  readonly gpuHours: GpuStages;
  /** The metrics stage's paid calls (core/plan-metrics.ts); undefined without `metrics:`. */
  readonly metrics?: MetricsPlan | undefined;
}

export interface BaselineStagesPlan {
  readonly subject: string;
  readonly judge?: JudgePlan | undefined;
  readonly gpuHours: UsdRange;
}

/** One generator's own evaluation (evaluate.generatorScores): its answers, and the judge's grading of them. */
export interface GeneratorScoreStagesPlan {
  readonly generator: string;
  readonly solve: SolvePlan;
  readonly judge?: JudgePlan | undefined;
}

export interface SweepPlanParts {
  readonly cells: readonly CellStagesPlan[];
  readonly baselines: readonly BaselineStagesPlan[];
  readonly generatorScores?: readonly GeneratorScoreStagesPlan[];
  readonly judgeGenerator?: string | undefined;
  readonly metricsJudgeGenerator?: string | undefined;
  readonly gpuHourUsd?: number | undefined;
}

const usd = (p: CellPlan | JudgePlan | SolvePlan | undefined): UsdRange => (p ? { low: p.low.usd, expected: p.expected.usd, high: p.high.usd } : ZERO_RANGE);

/** Every cost component of the sweep, per cell and per baseline, with their sums (plan_json's breakdown). */
export function sweepBreakdown(parts: SweepPlanParts): PlanBreakdown {
  const price = parts.gpuHourUsd ?? 0;
  const cells: CellPlanCost[] = parts.cells.map((c) => {
    const gpuUsd = { train: scaleRange(c.gpuHours.train, price), evaluate: scaleRange(c.gpuHours.evaluate, price) };
    return {
      generator: c.generator,
      setting: c.setting,
      generation: usd(c.generation),
      judge: usd(c.judge),
      gpu: addRanges(gpuUsd.train, gpuUsd.evaluate),
      judgeCalls: c.judge?.calls ?? 0,
      gpuHours: c.gpuHours,
      gpuUsd,
      ...(c.metrics && { metrics: c.metrics.usd, metricsJudge: c.metrics.judgeUsd, metricsCalls: c.metrics.calls }),
    };
  });
  const baselineSubjects: BaselinePlanCost[] = parts.baselines.map((b) => ({
    subject: b.subject,
    judge: usd(b.judge),
    gpu: scaleRange(b.gpuHours, price),
    judgeCalls: b.judge?.calls ?? 0,
    gpuHours: b.gpuHours,
  }));
  const generation = addRanges(...cells.map((c) => c.generation));
  const judge = addRanges(...cells.map((c) => c.judge));
  const gpuByStage = {
    train: addRanges(...cells.map((c) => c.gpuUsd?.train ?? ZERO_RANGE)),
    evaluate: addRanges(...cells.map((c) => c.gpuUsd?.evaluate ?? ZERO_RANGE)),
  };
  const gpu = addRanges(gpuByStage.train, gpuByStage.evaluate);
  const baselines = addRanges(...baselineSubjects.flatMap((b) => [b.judge, b.gpu]));
  const generatorSubjects: GeneratorScorePlanCost[] = (parts.generatorScores ?? []).map((g) => ({
    generator: g.generator,
    solve: usd(g.solve),
    judge: usd(g.judge),
    solveCalls: g.solve.calls,
    judgeCalls: g.judge?.calls ?? 0,
  }));
  const generatorScores = addRanges(...generatorSubjects.flatMap((g) => [g.solve, g.judge]));
  const withMetrics = cells.filter((c) => c.metrics !== undefined);
  const metrics = addRanges(...withMetrics.map((c) => c.metrics!));
  return {
    total: addRanges(generation, judge, gpu, baselines, generatorScores, metrics),
    generation,
    judge,
    gpu,
    baselines,
    cells,
    baselineSubjects,
    gpuByStage,
    gpuHours: {
      train: addRanges(...parts.cells.map((c) => c.gpuHours.train)),
      evaluate: addRanges(...parts.cells.map((c) => c.gpuHours.evaluate)),
      baselines: addRanges(...parts.baselines.map((b) => b.gpuHours)),
    },
    ...(generatorSubjects.length > 0 && { generatorScores, generatorSubjects }),
    ...(withMetrics.length > 0 && { metrics }),
    ...(parts.metricsJudgeGenerator !== undefined && { metricsJudgeGenerator: parts.metricsJudgeGenerator }),
    ...(parts.judgeGenerator !== undefined && { judgeGenerator: parts.judgeGenerator }),
    ...(parts.gpuHourUsd !== undefined && { gpuHourUsd: parts.gpuHourUsd }),
  };
}

/** What the budget caps: API calls (generation, every judge call, the generators' own answers), not GPU time. */
export function apiSpend(b: PlanBreakdown): UsdRange {
  return addRanges(b.generation, b.judge, ...b.baselineSubjects.map((s) => s.judge), b.generatorScores ?? ZERO_RANGE, b.metrics ?? ZERO_RANGE);
}

/**
 * A generator's planned spending against its cap: its generation and its own answers
 * (generatorScores), plus every judge call when it is the judge (judge calls are charged to the
 * judge's generator).
 */
export function generatorSpend(b: PlanBreakdown, generator: string): { generation: UsdRange; judge: UsdRange; solve: UsdRange; total: UsdRange } {
  const generation = addRanges(...b.cells.filter((c) => c.generator === generator).map((c) => c.generation));
  const subjects = b.generatorSubjects ?? [];
  const judge = b.judgeGenerator === generator ? addRanges(b.judge, ...b.baselineSubjects.map((s) => s.judge), ...subjects.map((s) => s.judge)) : ZERO_RANGE;
  const solve = addRanges(...subjects.filter((s) => s.generator === generator).map((s) => s.solve));
  // The metrics judge's calls; the embeddings' share of b.metrics has its own scope, and is counted only against the run budget.
  const metricsJudge = b.metricsJudgeGenerator === generator ? addRanges(...b.cells.map((c) => c.metricsJudge ?? ZERO_RANGE)) : ZERO_RANGE;
  return { generation, judge: addRanges(judge, metricsJudge), solve, total: addRanges(generation, judge, metricsJudge, solve) };
}
