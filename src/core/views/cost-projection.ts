import type { PlanBreakdown, UsdRange } from '../plan-breakdown.js';
import type { SettingId } from '../setting.js';
import type { RunSnapshot } from '../snapshot.js';
import { baselineOutlook, generatorScoresRemaining, gpuOutlook, judgeRemainingByCell, metricsRemaining, type StageOutlook } from './evaluation-outlook.js';
import { apiSpend } from '../plan-sweep.js';
import { generationCost, instancesLeft, judgeCost, rateFinder, weakestBasis, type ProjectionBasis } from './generation-rate.js';

export type { ProjectionBasis } from './generation-rate.js';
export type { StageOutlook } from './evaluation-outlook.js';

/** API money one cell still needs: its generation and the judging of its student. */
export interface CellProjection {
  readonly cellId: number;
  readonly generator: string;
  readonly setting: SettingId;
  /** undefined: no basis to say. */
  readonly generationRemainingUsd?: number;
  readonly judgeRemainingUsd?: number;
  readonly basis: ProjectionBasis;
}

export interface GeneratorProjection {
  readonly generatorId: string;
  /** From the budget ledger: everything charged to this generator (the judge's calls too when it is the judge). */
  readonly spentUsd: number;
  readonly reservedUsd: number;
  readonly capUsd?: number;
  readonly accepted: number;
  /** Instances still to generate over its unfinished cells. */
  readonly remainingInstances: number;
  /** Generation cost per accepted instance (judging left out); borrowed when it has none of its own. */
  readonly costPerInstance?: number;
  readonly basis: ProjectionBasis;
  /** Its cells' generation: spent so far, and still to come (undefined when there is no basis). */
  readonly generationSpentUsd: number;
  readonly remainingUsd?: number;
  readonly generationProjectedUsd?: number;
  /** Judging its cells' students: spent so far, and still to come. */
  readonly judgeSpentUsd: number;
  readonly judgeRemainingUsd?: number;
  /** Its ledger at the end, against its cap: spent + generation to come + (as the judge) judging to come. */
  readonly projectedUsd?: number;
  readonly gpuUsd: number;
  readonly remainingGpuUsd?: number;
}

export interface SweepProjection {
  readonly byGenerator: readonly GeneratorProjection[];
  readonly cells: readonly CellProjection[];
  /** 'measured' once anything has been spent; 'planned' falls back to `agora plan`. */
  readonly basis: 'measured' | 'planned' | 'none';
  /** Projected API cost of the whole sweep (generation, judging the students and the baselines, the generators' own scores, the metrics). */
  readonly projectedUsd?: number;
  /** The plan's API cost (low / expected / high), when the projection is the plan. */
  readonly planned?: UsdRange;
  /** Stages whose cost to come has no basis yet: projectedUsd leaves them out (a lower bound). */
  readonly missing: readonly ('generation' | 'judge' | 'baselines')[];
  readonly generation: StageOutlook;
  readonly judge: StageOutlook;
  readonly baselines: StageOutlook;
  /** Generation cost per accepted instance over the run so far (judging left out). */
  readonly costPerInstance?: number;
  readonly gpuUsd: number;
  readonly remainingGpuUsd?: number;
}

const sum = (xs: readonly (number | undefined)[]): number | undefined =>
  xs.some((x) => x === undefined) ? undefined : xs.reduce<number>((s, x) => s + (x ?? 0), 0);

/** The plan's API part (generation, judging, the baselines, the generators' own scores, the metrics); GPU is shown apart. */
function plannedApi(b: PlanBreakdown): UsdRange {
  return apiSpend(b);
}

function projectCells(run: RunSnapshot, judge: ReturnType<typeof judgeRemainingByCell>): CellProjection[] {
  const rate = rateFinder(run.cells, run.generators, run.planBreakdown);
  return run.cells.map((c) => {
    const left = instancesLeft(c);
    const r = left > 0 ? rate(c) : { usdPerInstance: 0, basis: 'measured' as const };
    const j = judge.byCell.has(c.id) ? judge.byCell.get(c.id) : 0;
    return {
      cellId: c.id,
      generator: c.generator,
      setting: c.setting,
      ...(r.usdPerInstance !== undefined ? { generationRemainingUsd: left * r.usdPerInstance } : {}),
      ...(j !== undefined ? { judgeRemainingUsd: j } : {}),
      basis: r.basis,
    };
  });
}

/**
 * Projected cost to finish each generator's cells and the sweep: generation from what each
 * cell (or its generator, method, or the plan) has cost per instance, the judge per judged
 * cell still to evaluate, the baselines' judging, and GPU time. Before any spending the sweep
 * falls back to the plan.
 */
export function projectCosts(run: RunSnapshot): SweepProjection {
  const judgeByCell = judgeRemainingByCell(run);
  const cells = projectCells(run, judgeByCell);
  const judgeId = run.evaluation?.judge?.id;
  const baselines = baselineOutlook(run);
  const judgeRemaining = sum(cells.map((p) => p.judgeRemainingUsd));
  const judge: StageOutlook = {
    spentUsd: run.cells.reduce((s, c) => s + judgeCost(c), 0),
    ...(judgeRemaining !== undefined ? { remainingUsd: judgeRemaining } : {}),
    basis: judgeByCell.basis,
  };
  const judgeAndBaselinesLeft = sum([judge.remainingUsd, baselines.remainingUsd]);

  const byGenerator = run.generators.map((g): GeneratorProjection => {
    const own = run.cells.filter((c) => c.generator === g.id);
    const mine = cells.filter((p) => p.generator === g.id);
    const generationSpentUsd = own.reduce((s, c) => s + generationCost(c), 0);
    const accepted = own.reduce((s, c) => s + c.accepted, 0);
    const remainingInstances = own.reduce((s, c) => s + instancesLeft(c), 0);
    const left = new Map(own.map((c) => [c.id, instancesLeft(c)]));
    const pending = mine.filter((p) => (left.get(p.cellId) ?? 0) > 0);
    const remainingUsd = sum(mine.map((p) => p.generationRemainingUsd));
    const judgeRemainingUsd = sum(mine.map((p) => p.judgeRemainingUsd));
    // With nothing of its own accepted, the rate its first pending cell is projected at.
    const borrowed = pending.find((p) => p.generationRemainingUsd !== undefined);
    const costPerInstance =
      accepted > 0 && generationSpentUsd > 0
        ? generationSpentUsd / accepted
        : borrowed
          ? borrowed.generationRemainingUsd! / (left.get(borrowed.cellId) ?? 1)
          : undefined;
    const asJudge = g.id === judgeId ? judgeAndBaselinesLeft : 0;
    const gpu = gpuOutlook(own, run.planBreakdown);
    return {
      generatorId: g.id,
      spentUsd: g.spentUsd,
      reservedUsd: g.reservedUsd,
      ...(g.capUsd !== undefined ? { capUsd: g.capUsd } : {}),
      accepted,
      remainingInstances,
      ...(costPerInstance !== undefined ? { costPerInstance } : {}),
      basis: weakestBasis(pending.map((p) => p.basis)),
      generationSpentUsd,
      ...(remainingUsd !== undefined ? { remainingUsd, generationProjectedUsd: generationSpentUsd + remainingUsd } : {}),
      judgeSpentUsd: own.reduce((s, c) => s + judgeCost(c), 0),
      ...(judgeRemainingUsd !== undefined ? { judgeRemainingUsd } : {}),
      ...(remainingUsd !== undefined && asJudge !== undefined ? { projectedUsd: g.spentUsd + remainingUsd + asJudge } : {}),
      gpuUsd: gpu.spent,
      ...(gpu.remaining !== undefined ? { remainingGpuUsd: gpu.remaining } : {}),
    };
  });

  const generationRemaining = sum(cells.map((p) => p.generationRemainingUsd));
  const generation: StageOutlook = {
    spentUsd: run.cells.reduce((s, c) => s + generationCost(c), 0),
    ...(generationRemaining !== undefined ? { remainingUsd: generationRemaining } : {}),
    basis: weakestBasis(cells.filter((p) => p.generationRemainingUsd !== 0).map((p) => p.basis)),
  };
  const missing = (['generation', 'judge', 'baselines'] as const).filter((k) => ({ generation, judge, baselines })[k].remainingUsd === undefined);
  const totalAccepted = run.cells.reduce((s, c) => s + c.accepted, 0);
  const gpu = gpuOutlook(run.cells, run.planBreakdown);
  const baselineGpu = baselines.basis === 'planned' ? (run.planBreakdown?.baselineSubjects.reduce((s, b) => s + b.gpu.expected, 0) ?? 0) : 0;
  const common = {
    byGenerator,
    cells,
    missing,
    generation,
    judge,
    baselines,
    ...(totalAccepted > 0 && generation.spentUsd > 0 ? { costPerInstance: generation.spentUsd / totalAccepted } : {}),
    gpuUsd: gpu.spent,
    ...(gpu.remaining !== undefined ? { remainingGpuUsd: gpu.remaining + baselineGpu } : {}),
  };
  if (run.spentUsd > 0 && generationRemaining !== undefined) {
    const remaining =
      generationRemaining + (judge.remainingUsd ?? 0) + (baselines.remainingUsd ?? 0) + (metricsRemaining(run) ?? 0) + generatorScoresRemaining(run);
    return { ...common, basis: 'measured', projectedUsd: run.spentUsd + remaining };
  }
  const planned = run.planBreakdown ? plannedApi(run.planBreakdown) : run.plannedUsd;
  if (planned) return { ...common, basis: 'planned', projectedUsd: planned.expected, planned };
  return { ...common, basis: 'none' };
}
