import { alpacaJudgeRequest } from './grade/alpaca-judge.js';
import { arenaJudgeRequest } from './grade/arena-judge.js';
import { costNano, nanoToUsd, tokensForChars } from './cost.js';
import type { Estimate, TextLengths } from './plan.js';
import type { Price } from './run-config.js';

/** The two benchmarks an LLM judge grades. */
export type JudgedBenchmark = 'alpaca_eval' | 'arena_hard';

/** What the plan knows of a judged benchmark: how many items are asked, and how long their texts are (characters). */
export interface JudgedBenchmarkLengths {
  readonly items: number;
  /** The instruction / question. */
  readonly prompt: TextLengths;
  /** The answer the student is compared with (GPT-4-turbo's for AlpacaEval, GPT-4-0314's for Arena-Hard). */
  readonly reference: TextLengths;
}

/**
 * Measured on the public files (AlpacaEval 2.0's gpt4_1106_preview outputs, Arena-Hard v0.1's
 * questions and gpt-4-0314 answers), for when the files are not at hand to measure.
 */
export const DEFAULT_JUDGED_LENGTHS: Readonly<Record<JudgedBenchmark, JudgedBenchmarkLengths>> = {
  alpaca_eval: { items: 805, prompt: { p10: 38, mean: 165, p90: 321 }, reference: { p10: 384, mean: 2049, p90: 3477 } },
  arena_hard: { items: 500, prompt: { p10: 59, mean: 406, p90: 1048 }, reference: { p10: 675, mean: 1857, p90: 3151 } },
};

const chars = (req: { messages: readonly { content: string }[] }) => req.messages.reduce((n, m) => n + m.content.length, 0);
/** The judge prompts' own text, around the instruction and the two answers. */
const TEMPLATE_CHARS: Readonly<Record<JudgedBenchmark, number>> = {
  alpaca_eval: chars(alpacaJudgeRequest('', '', '')),
  arena_hard: chars(arenaJudgeRequest('', '', '')),
};
const MAX_OUT: Readonly<Record<JudgedBenchmark, number>> = {
  alpaca_eval: alpacaJudgeRequest('', '', '').maxTokens,
  arena_hard: arenaJudgeRequest('', '', '').maxTokens,
};

/** Arena-Hard judges each question twice (both orders); AlpacaEval once. */
export const JUDGE_CALLS_PER_ITEM: Readonly<Record<JudgedBenchmark, number>> = { alpaca_eval: 1, arena_hard: 2 };

/**
 * The Arena-Hard judge answers the question itself before comparing (its system prompt says
 * so): about as long as the GPT-4 baseline answer, then a verdict paragraph of this many
 * characters (low / expected / high).
 */
const ARENA_VERDICT_CHARS: TextLengths = { p10: 300, mean: 600, p90: 1200 };
/** AlpacaEval's judge names one identifier (`m` or `M`): one token, at most its max tokens. */
const ALPACA_OUT_TOKENS: TextLengths = { p10: 1, mean: 1, p90: MAX_OUT.alpaca_eval };
/** Share of calls asked again when the verdict is unparseable (one retry each): none expected, 10% at worst. */
const RETRY_SHARE: TextLengths = { p10: 0, mean: 0, p90: 0.1 };

export interface JudgePlanInput {
  /** Each with the judged model's answers on it when they differ by benchmark (a baseline answers like the benchmark's GPT-4). */
  readonly benchmarks: ReadonlyArray<{ readonly benchmark: JudgedBenchmark; readonly lengths: JudgedBenchmarkLengths; readonly student?: TextLengths }>;
  /** The answers of the model judged (characters), already capped at its max new tokens. */
  readonly student: TextLengths;
  readonly price: Price;
}

export interface JudgePlan {
  /** Calls without retries: AlpacaEval's items + twice Arena-Hard's. */
  readonly calls: number;
  readonly low: Estimate;
  readonly expected: Estimate;
  readonly high: Estimate;
}

type Bound = keyof TextLengths;

function estimate(input: JudgePlanInput, b: Bound): Estimate {
  let requests = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  for (const { benchmark, lengths, student = input.student } of input.benchmarks) {
    const calls = lengths.items * JUDGE_CALLS_PER_ITEM[benchmark];
    const retries = Math.ceil(calls * RETRY_SHARE[b]);
    const inPerCall = tokensForChars(TEMPLATE_CHARS[benchmark] + lengths.prompt[b] + lengths.reference[b] + student[b]);
    const outPerCall =
      benchmark === 'arena_hard' ? Math.min(MAX_OUT.arena_hard, tokensForChars(lengths.reference[b] + ARENA_VERDICT_CHARS[b])) : ALPACA_OUT_TOKENS[b];
    requests += calls + retries;
    // A retry resends the conversation with the first reply in it.
    tokensIn += calls * inPerCall + retries * (inPerCall + outPerCall);
    tokensOut += (calls + retries) * outPerCall;
  }
  return { requests, tokensIn, tokensOut, usd: nanoToUsd(costNano({ inputTokens: tokensIn, outputTokens: tokensOut }, input.price)) };
}

/** The judge's cost for one evaluated model: short texts and no retries, typical, long texts and 10% retried. */
export function planJudge(input: JudgePlanInput): JudgePlan {
  const calls = input.benchmarks.reduce((n, b) => n + b.lengths.items * JUDGE_CALLS_PER_ITEM[b.benchmark], 0);
  return { calls, low: estimate(input, 'p10'), expected: estimate(input, 'mean'), high: estimate(input, 'p90') };
}

/** Lengths capped at a model's max new tokens (4 characters a token, as the plan counts). */
export function capChars(l: TextLengths, maxTokens: number): TextLengths {
  const cap = maxTokens * 4;
  return { p10: Math.min(l.p10, cap), mean: Math.min(l.mean, cap), p90: Math.min(l.p90, cap) };
}
