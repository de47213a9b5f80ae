/**
 * The plan of a whole sweep by cost component, as `agora plan` stores it (run_meta.plan_json)
 * and the projection reads it. Every figure is USD, low / expected / high.
 */
export interface UsdRange {
  readonly low: number;
  readonly expected: number;
  readonly high: number;
}

/** What one cell is planned to cost, stage by stage. */
export interface CellPlanCost {
  readonly generator: string;
  readonly setting: string;
  /** API calls to the generator (or its batch API) for the cell's instances. */
  readonly generation: UsdRange;
  /** Judge calls that evaluate the cell's student (instruction-following cells only). */
  readonly judge: UsdRange;
  /** GPU hours (training and evaluation) x train.gpuHourUsd. */
  readonly gpu: UsdRange;
}

/** What evaluating one baseline student (S_0 or S_ref) is planned to cost. */
export interface BaselinePlanCost {
  readonly subject: string;
  readonly judge: UsdRange;
  readonly gpu: UsdRange;
}

export interface PlanBreakdown {
  /** Sum of every component below. */
  readonly total: UsdRange;
  readonly generation: UsdRange;
  readonly judge: UsdRange;
  readonly gpu: UsdRange;
  /** Baseline evaluations: their judge calls and GPU time. */
  readonly baselines: UsdRange;
  readonly cells: readonly CellPlanCost[];
  readonly baselineSubjects: readonly BaselinePlanCost[];
}

export const ZERO_RANGE: UsdRange = { low: 0, expected: 0, high: 0 };

export function addRanges(...rs: readonly UsdRange[]): UsdRange {
  return rs.reduce((a, r) => ({ low: a.low + r.low, expected: a.expected + r.expected, high: a.high + r.high }), ZERO_RANGE);
}
