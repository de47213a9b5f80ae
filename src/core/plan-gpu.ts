import type { UsdRange } from './plan-breakdown.js';
import type { TextLengths } from './plan.js';

/**
 * GPU hours before anything has run. Nothing is measured yet, so the plan assumes the
 * throughput of an 8B model, scaled by the base model's size when its name says it (`...-70B`):
 *
 * - training: full SFT costs about 6 x params FLOPs a token; an A100/H100-class GPU at 30-60%
 *   utilisation then trains an 8B model at 1,200 (high) / 2,500 (expected) / 5,000 (low)
 *   tokens a second per GPU; plus 5 / 10 / 20 minutes a job of every GPU it holds for loading
 *   the model and saving checkpoints.
 * - evaluation: one GPU serves the student (vLLM, one GPU unless its serve command says
 *   otherwise), decoding 700 / 1,500 / 3,000 tokens a second over its concurrent requests,
 *   after 2 / 5 / 10 minutes of start-up.
 *
 * These are ranges, and the projection replaces them with what jobs measure once they run.
 */
const REFERENCE_PARAMS_B = 8;
const TRAIN_TOKENS_PER_GPU_SECOND = { low: 5000, expected: 2500, high: 1200 };
const TRAIN_OVERHEAD_MINUTES = { low: 5, expected: 10, high: 20 };
const SERVE_TOKENS_PER_SECOND = { low: 3000, expected: 1500, high: 700 };
const SERVE_STARTUP_MINUTES = { low: 2, expected: 5, high: 10 };
/** Chat-template tokens around each training conversation (headers, end-of-turn). */
const TEMPLATE_TOKENS_PER_EXAMPLE = 30;

type Bound = keyof UsdRange;
const LENGTH_AT: Record<Bound, keyof TextLengths> = { low: 'p10', expected: 'mean', high: 'p90' };

function rangeOf(f: (b: Bound) => number): UsdRange {
  return { low: f('low'), expected: f('expected'), high: f('high') };
}

/** Billions of parameters named in a model id (`meta-llama/Llama-3.1-70B` is 70), else the 8B the rates are for. */
export function paramsBillions(model: string): number {
  if (model === 'tiny-random') return 0;
  const m = /(\d+(?:\.\d+)?)\s*[bB](?![a-zA-Z])/.exec(model.split('/').pop() ?? model);
  return m ? Number(m[1]) : REFERENCE_PARAMS_B;
}

export interface TrainGpuInput {
  /** Conversations in the training file (instances, plus the seed set for instance generation). */
  readonly examples: number;
  /** Characters of one conversation (instruction + response + system message). */
  readonly exampleChars: TextLengths;
  readonly epochs: number;
  readonly gpusPerJob: number;
  readonly baseModel: string;
  /** Without packing each example is padded to the longest of its batch: planned at the long length. */
  readonly packing: boolean;
}

/** GPU hours of one cell's train job (all its GPUs). */
export function planTrainGpuHours(t: TrainGpuInput): UsdRange {
  const scale = paramsBillions(t.baseModel) / REFERENCE_PARAMS_B;
  return rangeOf((b) => {
    const chars = t.packing ? t.exampleChars[LENGTH_AT[b]] : t.exampleChars.p90;
    const tokens = t.examples * (Math.ceil(chars / 4) + TEMPLATE_TOKENS_PER_EXAMPLE) * t.epochs;
    const compute = (tokens * scale) / TRAIN_TOKENS_PER_GPU_SECOND[b] / 3600;
    return compute + (t.gpusPerJob * TRAIN_OVERHEAD_MINUTES[b]) / 60;
  });
}

/** GPU hours of serving one model through a benchmark run: start-up, then decoding `outputTokens` (low / expected / high). */
export function planServeGpuHours(outputTokens: UsdRange, model: string): UsdRange {
  const scale = Math.max(paramsBillions(model), 1) / REFERENCE_PARAMS_B;
  return rangeOf((b) => SERVE_STARTUP_MINUTES[b] / 60 + (outputTokens[b] * scale) / SERVE_TOKENS_PER_SECOND[b] / 3600);
}

/** Output tokens of `items` answers of the given lengths (characters). */
export function answerTokens(items: number, answerChars: TextLengths): UsdRange {
  return rangeOf((b) => items * Math.ceil(answerChars[LENGTH_AT[b]] / 4));
}

export function scaleRange(r: UsdRange, k: number): UsdRange {
  return rangeOf((b) => r[b] * k);
}
