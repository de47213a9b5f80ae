/**
 * The intrinsic metrics of a cell's data (the paper's Table 8), each computed on a sample of the
 * cell's accepted instances and stored per instance. `diversity.*` store one embedding per
 * instance; the cell's value is c-dist, the mean cosine distance over distinct pairs (higher:
 * more diverse; core/analysis/diversity.ts). The others store one number per instance (judge
 * scores on the paper's 1-5 scale, perplexity, reward); the cell's value is their mean.
 */
export const METRICS = [
  'difficulty.judge',
  'difficulty.openJudge',
  'difficulty.perplexity',
  'quality.judge',
  'quality.openJudge',
  'quality.reward',
  'diversity.instruction',
  'diversity.response',
] as const;
export type MetricId = (typeof METRICS)[number];

export function isMetricId(s: string): s is MetricId {
  return (METRICS as readonly string[]).includes(s);
}

/** One cell's metric values over its sample: what the analyses (PCA, regression) read. */
export interface CellMetricSummary {
  readonly cellId: number;
  readonly generator: string;
  readonly setting: string;
  /** Metric -> the cell's value, only for metrics computed on at least one instance. */
  readonly values: Partial<Record<MetricId, number>>;
  /** Metric -> instances that entered the value. */
  readonly counts: Partial<Record<MetricId, number>>;
}
