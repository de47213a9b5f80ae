import { costNano, nanoToUsd, tokensForChars } from './cost.js';
import type { UsdRange } from './plan-breakdown.js';
import type { TextLengths } from './plan.js';
import type { Price } from './run-config.js';

/**
 * What the metrics stage's paid calls cost for one cell (the paper's Table 8 judges and
 * embeddings): per sampled instance, two judge calls (difficulty: the instruction; quality: the
 * instruction and the response, each inside its rubric) for the LLM judge and for a priced open
 * judge, and one embedding of the instruction and one of the response. The perplexity and reward
 * models are served, not billed; their GPU time is not planned.
 */
export interface MetricsPlanInput {
  /** Instances measured: min(sampleSize, the cell's target); 0 for a fixed-budget cell (it holds no instances of its own). */
  readonly sample: number;
  readonly instruction: TextLengths;
  readonly response: TextLengths;
  /** Characters of the difficulty and quality rubrics around the inserted text, and the judge's longest answer. */
  readonly rubric: { readonly difficultyChars: number; readonly qualityChars: number; readonly maxTokens: number };
  /** The LLM judge (charged to its generator's cap) and a priced open judge. */
  readonly judge?: Price | undefined;
  readonly openJudge?: Price | undefined;
  readonly embeddings?: Price | undefined;
}

/** Texts per embeddings request, as the metrics worker sends them (workers/metrics/measures.ts). */
export const EMBEDDING_BATCH = 32;

/** A judge's verdict is a few sentences and the marker; the high bound is every verdict at the rubric's max tokens. */
const VERDICT_TOKENS = { p10: 60, mean: 150 } as const;

export interface MetricsPlan {
  readonly calls: number;
  /** Every paid call of the stage for the cell. */
  readonly usd: UsdRange;
  /** The LLM judge's part of it. */
  readonly judgeUsd: UsdRange;
}

type Bound = keyof TextLengths;

function judgeNano(i: MetricsPlanInput, price: Price, b: Bound): number {
  const out = b === 'p90' ? i.rubric.maxTokens : VERDICT_TOKENS[b];
  const difficultyIn = tokensForChars(i.rubric.difficultyChars + i.instruction[b]);
  const qualityIn = tokensForChars(i.rubric.qualityChars + i.instruction[b] + i.response[b]);
  return i.sample * costNano({ inputTokens: difficultyIn + qualityIn, outputTokens: 2 * out }, price);
}

function bound(i: MetricsPlanInput, b: Bound): { all: number; judge: number } {
  const judge = i.judge ? judgeNano(i, i.judge, b) : 0;
  let all = judge + (i.openJudge ? judgeNano(i, i.openJudge, b) : 0);
  // Both texts of every sampled instance are embedded (input tokens only).
  if (i.embeddings)
    all += i.sample * costNano({ inputTokens: tokensForChars(i.instruction[b]) + tokensForChars(i.response[b]), outputTokens: 0 }, i.embeddings);
  return { all: nanoToUsd(all), judge: nanoToUsd(judge) };
}

export function planCellMetrics(i: MetricsPlanInput): MetricsPlan {
  const [low, expected, high] = (['p10', 'mean', 'p90'] as const).map((b) => bound(i, b)) as [
    ReturnType<typeof bound>,
    ReturnType<typeof bound>,
    ReturnType<typeof bound>,
  ];
  const judges = (i.judge ? 1 : 0) + (i.openJudge ? 1 : 0);
  return {
    calls: i.sample * 2 * judges + (i.embeddings ? 2 * Math.ceil(i.sample / EMBEDDING_BATCH) : 0),
    usd: { low: low.all, expected: expected.all, high: high.all },
    judgeUsd: { low: low.judge, expected: expected.judge, high: high.judge },
  };
}
