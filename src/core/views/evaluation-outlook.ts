import type { PlanBreakdown } from '../plan-breakdown.js';
import { parseSetting } from '../setting.js';
import type { CellSnapshot, RunSnapshot } from '../snapshot.js';
import { judgeCost, planCellOf, weakestBasis, type ProjectionBasis } from './generation-rate.js';

/** Money one stage has cost and is projected still to cost; remainingUsd undefined: no basis yet. */
export interface StageOutlook {
  readonly spentUsd: number;
  readonly remainingUsd?: number;
  readonly basis: ProjectionBasis;
}

/** Instruction-following cells are graded by the LLM judge (AlpacaEval 2.0, Arena-Hard). */
export function isJudged(c: CellSnapshot): boolean {
  return parseSetting(c.setting).domain === 'inst';
}

/** The student's evaluation is over once the cell reaches the score stage (or the metrics stage after it, scored). */
function evaluated(c: CellSnapshot): boolean {
  return c.stage === 'score' || (c.stage === 'metrics' && c.scores !== undefined);
}

/** A run that knows its config has no judge pays for no judging (its judged cells are blocked). */
function noJudge(run: RunSnapshot): boolean {
  return run.evaluation !== undefined && run.evaluation.judge === undefined;
}

/**
 * Judging still to come per judged cell: what judging one student has cost on the cells
 * evaluated so far (mean), else the plan's figure for the cell; less what the cell's judging
 * has already cost.
 */
export function judgeRemainingByCell(run: RunSnapshot): { byCell: Map<number, number | undefined>; basis: ProjectionBasis } {
  const judged = run.cells.filter(isJudged);
  const done = judged.filter((c) => evaluated(c) && judgeCost(c) > 0);
  const measured = done.length > 0 ? done.reduce((s, c) => s + judgeCost(c), 0) / done.length : undefined;
  const byCell = new Map<number, number | undefined>();
  const bases: ProjectionBasis[] = [];
  for (const c of judged) {
    if (evaluated(c) || noJudge(run)) {
      byCell.set(c.id, 0);
      continue;
    }
    const perCell = measured ?? planCellOf(run.planBreakdown, c)?.judge.expected;
    bases.push(measured !== undefined ? 'measured' : perCell !== undefined ? 'planned' : 'none');
    byCell.set(c.id, perCell === undefined ? undefined : Math.max(0, perCell - judgeCost(c)));
  }
  const basis = weakestBasis(bases);
  return { byCell, basis };
}

function plannedBaselineJudge(plan: PlanBreakdown | undefined): number | undefined {
  return plan?.baselineSubjects.reduce((s, b) => s + b.judge.expected, 0);
}

/**
 * The generators' own scores (evaluate.generatorScores) still to come: they are evaluated in the
 * first score job of each domain, after its PGR, so the plan's figure until a cell is scored and
 * none after (a lower bound while other domains' are still to come).
 */
export function generatorScoresRemaining(run: RunSnapshot): number {
  const planned = run.planBreakdown?.generatorScores?.expected ?? 0;
  const scored = run.cells.some((c) => (c.stage === 'score' && c.state === 'done') || (c.stage === 'metrics' && c.scores !== undefined));
  return scored ? 0 : planned;
}

/**
 * The metrics stage's paid calls still to come: each cell's planned figure, less the share its
 * running metrics job has measured, none for a cell whose metrics are done. Undefined without a
 * plan that has them (the stage is not configured, or nothing was planned).
 */
export function metricsRemaining(run: RunSnapshot): number | undefined {
  const plan = run.planBreakdown;
  if (!plan?.metrics) return undefined;
  let left = 0;
  for (const c of run.cells) {
    const planned = planCellOf(plan, c)?.metrics?.expected ?? 0;
    if (c.stage !== 'metrics') left += planned;
    else if (c.state !== 'done') {
      const p = c.progress?.stage === 'metrics' && c.progress.total > 0 ? c.progress.done / c.progress.total : 0;
      left += planned * (1 - Math.min(1, p));
    }
  }
  return left;
}

/**
 * Judging the baselines (S_0, S_ref) once for the sweep: over once a judged cell is scored
 * (its score job evaluated them), else the plan's figure less what they have cost so far.
 */
export function baselineOutlook(run: RunSnapshot): StageOutlook {
  const spentUsd = run.evaluation?.baselinesUsd ?? 0;
  const judged = run.cells.filter(isJudged);
  if (
    judged.length === 0 ||
    noJudge(run) ||
    judged.some((c) => (c.stage === 'score' && c.state === 'done') || (c.stage === 'metrics' && c.scores !== undefined))
  )
    return { spentUsd, remainingUsd: 0, basis: 'measured' };
  const planned = plannedBaselineJudge(run.planBreakdown);
  if (planned === undefined) return { spentUsd, basis: 'none' };
  return { spentUsd, remainingUsd: Math.max(0, planned - spentUsd), basis: 'planned' };
}

/**
 * GPU money: the mean of the cells that finished training, times the cells that have not;
 * before any has, the plan's GPU figure for each of them (and for the baselines).
 */
export function gpuOutlook(cells: readonly CellSnapshot[], plan?: PlanBreakdown): { spent: number; remaining?: number } {
  let spent = 0;
  let trainedCost = 0;
  let trained = 0;
  const untrained: CellSnapshot[] = [];
  for (const c of cells) {
    spent += c.gpuCostUsd;
    const pastTrain = c.stage === 'evaluate' || c.stage === 'score' || c.stage === 'metrics';
    if (pastTrain && c.gpuCostUsd > 0) {
      trainedCost += c.gpuCostUsd;
      trained += 1;
    } else if (!pastTrain) {
      untrained.push(c);
    }
  }
  if (trained > 0) return { spent, remaining: (trainedCost / trained) * untrained.length };
  if (!plan) return { spent };
  const remaining = untrained.reduce((s, c) => s + (planCellOf(plan, c)?.gpu.expected ?? 0), 0);
  return { spent, remaining };
}
