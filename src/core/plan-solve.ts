import { costNano, nanoToUsd, tokensForChars } from './cost.js';
import type { Estimate, TextLengths } from './plan.js';
import type { Price } from './run-config.js';
import type { BenchmarkId } from './setting.js';

/**
 * What a generator's own evaluation (its problem-solving score, `evaluate.generatorScores`)
 * costs it: one call per benchmark item, the item's prompt in (measured on the benchmark files
 * when at hand, else SOLVE_PROMPT_DEFAULTS), its answer out. The judge's cost of grading its
 * AlpacaEval and Arena-Hard answers is planned by plan-judge, as a baseline's is.
 */
export interface SolveBenchmark {
  readonly benchmark: BenchmarkId;
  readonly items: number;
  /** Characters of the prompt the student (and so the generator) is asked. */
  readonly prompt: TextLengths;
  /**
   * Characters of an answer, for the low and expected bounds: as long as the benchmark's GPT-4
   * answers (AlpacaEval, Arena-Hard) or the domain's seed responses (math, code), as a baseline's.
   * The high bound is every answer at evaluate.inference.maxTokens: the worst case the ledger reserves.
   */
  readonly answer: TextLengths;
}

/** agora's prompts measured on the public files (GSM8K test, MATH-500, MBPP test, HumanEval, AlpacaEval 2.0, Arena-Hard v0.1). */
export const SOLVE_PROMPT_DEFAULTS: Readonly<Record<BenchmarkId, TextLengths>> = {
  gsm8k: { p10: 136, mean: 240, p90: 366 },
  math: { p10: 58, mean: 196, p90: 386 },
  mbpp: { p10: 252, mean: 365, p90: 492 },
  humaneval: { p10: 328, mean: 562, p90: 887 },
  alpaca_eval: { p10: 38, mean: 165, p90: 321 },
  arena_hard: { p10: 59, mean: 406, p90: 1048 },
};

export interface SolvePlan {
  /** One per item. */
  readonly calls: number;
  readonly low: Estimate;
  readonly expected: Estimate;
  readonly high: Estimate;
}

type Bound = keyof TextLengths;

function estimate(benchmarks: readonly SolveBenchmark[], price: Price, maxTokens: number, b: Bound): Estimate {
  let requests = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  for (const s of benchmarks) {
    requests += s.items;
    tokensIn += s.items * tokensForChars(s.prompt[b]);
    tokensOut += s.items * (b === 'p90' ? maxTokens : Math.min(maxTokens, tokensForChars(s.answer[b])));
  }
  return { requests, tokensIn, tokensOut, usd: nanoToUsd(costNano({ inputTokens: tokensIn, outputTokens: tokensOut }, price)) };
}

/** One generator answering these benchmarks at its price: short prompts and answers, typical, long prompts and every answer at max tokens. */
export function planSolve(benchmarks: readonly SolveBenchmark[], price: Price, maxTokens: number): SolvePlan {
  return {
    calls: benchmarks.reduce((n, s) => n + s.items, 0),
    low: estimate(benchmarks, price, maxTokens, 'p10'),
    expected: estimate(benchmarks, price, maxTokens, 'mean'),
    high: estimate(benchmarks, price, maxTokens, 'p90'),
  };
}
