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
  /** The metrics stage's paid calls (its LLM judge, a priced open judge, priced embeddings); absent without `metrics:`. */
  readonly metrics?: UsdRange;
  /** The LLM judge's part of `metrics` (charged to the judge's generator). */
  readonly metricsJudge?: UsdRange;
  readonly metricsCalls?: number;
  /** Judge calls planned (without retries): AlpacaEval's items + Arena-Hard's twice. */
  readonly judgeCalls?: number;
  /** GPU hours of the cell's train job and evaluate job (planned even without a price). */
  readonly gpuHours?: GpuStages;
  /** `gpu` split by stage. */
  readonly gpuUsd?: GpuStages;
}

/** A GPU figure (hours or USD) by stage. */
export interface GpuStages {
  readonly train: UsdRange;
  readonly evaluate: UsdRange;
}

/** What evaluating one baseline student (S_0 or S_ref) is planned to cost. */
export interface BaselinePlanCost {
  readonly subject: string;
  readonly judge: UsdRange;
  readonly gpu: UsdRange;
  readonly judgeCalls?: number;
  /** Hours serving the baseline for its evaluations. */
  readonly gpuHours?: UsdRange;
}

/** What evaluating one generator's own problem-solving score (through its API) is planned to cost. */
export interface GeneratorScorePlanCost {
  readonly generator: string;
  /** Its answers, charged to the generator itself. */
  readonly solve: UsdRange;
  /** The judge grading its AlpacaEval and Arena-Hard answers, charged to the judge's generator. */
  readonly judge: UsdRange;
  readonly solveCalls: number;
  readonly judgeCalls: number;
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
  /** The metrics stage's paid calls over every cell; absent without `metrics:`. */
  readonly metrics?: UsdRange;
  /** The generator id the metrics judge's calls are charged to (its cap). */
  readonly metricsJudgeGenerator?: string;
  /** The generators' own scores (`evaluate.generatorScores`): their answers and the judging of them; absent when off. */
  readonly generatorScores?: UsdRange;
  readonly generatorSubjects?: readonly GeneratorScorePlanCost[];
  /** The generator id the judge's calls are charged to (its cap), when a judge is configured. */
  readonly judgeGenerator?: string;
  /** The cells' GPU cost by stage (`gpu` is their sum). */
  readonly gpuByStage?: GpuStages;
  /** GPU hours of the cells by stage, and of the baselines. */
  readonly gpuHours?: GpuStages & { readonly baselines: UsdRange };
  /** train.gpuHourUsd the GPU figures were priced at (absent: GPU hours are planned, not priced). */
  readonly gpuHourUsd?: number;
}

export const ZERO_RANGE: UsdRange = { low: 0, expected: 0, high: 0 };

export function addRanges(...rs: readonly UsdRange[]): UsdRange {
  return rs.reduce((a, r) => ({ low: a.low + r.low, expected: a.expected + r.expected, high: a.high + r.high }), ZERO_RANGE);
}
