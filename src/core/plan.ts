import type { Price } from './run-config.js';
import { costNano, nanoToUsd, tokensForChars } from './cost.js';
import type { Method } from './setting.js';
import { GENERATION_SYSTEM_MESSAGE } from './prompts/system-message.js';

export interface LengthStats {
  /** Characters, over the seed items. */
  readonly instruction: TextLengths;
  readonly response: TextLengths;
}

export interface CellPlanInput {
  readonly method: Method;
  readonly target: number;
  /** Characters of the meta-prompt around the inserted text. */
  readonly templateChars: number;
  readonly seeds: LengthStats;
  readonly price: Price;
  readonly maxTokens: number;
  /**
   * Characters of a response in this domain, for methods whose seeds carry no responses
   * (response generation): the model writes the response, so its length is the output.
   */
  readonly responseChars?: TextLengths | undefined;
  /** Requests go through the provider's batch API, billed at half the listed price. */
  readonly batch?: boolean | undefined;
}

export interface TextLengths {
  readonly p10: number;
  readonly mean: number;
  readonly p90: number;
}

/** OpenAI's Batch API and Anthropic's Message Batches both bill 50% of the live price. */
export const BATCH_DISCOUNT = 0.5;

export function effectivePrice(price: Price, batch: boolean | undefined): Price {
  return batch ? { input: price.input * BATCH_DISCOUNT, output: price.output * BATCH_DISCOUNT } : price;
}

export interface Estimate {
  readonly requests: number;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly usd: number;
}

export interface CellPlan {
  readonly low: Estimate;
  readonly expected: Estimate;
  readonly high: Estimate;
}

/**
 * Acceptance rates assumed for each bound: parsers reject malformed and duplicate output, so
 * more requests are made than instances kept. Instance generation rejects more (duplicates).
 */
const ACCEPTANCE: Record<Method, { low: number; expected: number; high: number }> = {
  instance: { low: 0.95, expected: 0.8, high: 0.6 },
  response: { low: 1, expected: 0.95, high: 0.8 },
  quality: { low: 1, expected: 0.9, high: 0.75 },
};

type Bound = 'p10' | 'mean' | 'p90';

/** Every request's system message (unless the template brings its own, which templateChars then counts). */
const SYSTEM_CHARS = GENERATION_SYSTEM_MESSAGE.length;
/** A demo's frame (`[EXAMPLE n]`, `INPUT: `, `OUTPUT: `, `[END]`), and the topic and first word each prompt names. */
const DEMO_FRAME_CHARS = 36;
const TOPIC_CHARS = 40;

function perRequest(input: CellPlanInput, b: Bound): { inChars: number; outChars: number } {
  const i = input.seeds.instruction[b];
  // Response seeds are instructions alone: the response the model writes is as long as this
  // domain's responses elsewhere (the caller's responseChars), never 0.
  const r = input.seeds.response[b] > 0 ? input.seeds.response[b] : (input.responseChars?.[b] ?? 0);
  switch (input.method) {
    case 'instance':
      // Three demos in, one new instruction and response out.
      return { inChars: SYSTEM_CHARS + input.templateChars + TOPIC_CHARS + 3 * (DEMO_FRAME_CHARS + i + r), outChars: i + r };
    case 'response':
      return { inChars: SYSTEM_CHARS + input.templateChars + i, outChars: r };
    case 'quality':
      return { inChars: SYSTEM_CHARS + input.templateChars + i + r, outChars: i + r };
  }
}

function estimate(input: CellPlanInput, b: Bound, acceptance: number): Estimate {
  const { inChars, outChars } = perRequest(input, b);
  const requests = Math.ceil(input.target / acceptance);
  const tokensIn = requests * tokensForChars(inChars);
  const tokensOut = requests * Math.min(input.maxTokens, tokensForChars(outChars));
  const price = effectivePrice(input.price, input.batch);
  return { requests, tokensIn, tokensOut, usd: nanoToUsd(costNano({ inputTokens: tokensIn, outputTokens: tokensOut }, price)) };
}

/** A cell's cost before any call: short seeds and few rejections, typical, long seeds and many. */
export function planCell(input: CellPlanInput): CellPlan {
  const a = ACCEPTANCE[input.method];
  return { low: estimate(input, 'p10', a.low), expected: estimate(input, 'mean', a.expected), high: estimate(input, 'p90', a.high) };
}

export function lengthStats(items: readonly { instruction: string; response?: string }[]): LengthStats {
  const q = (xs: number[]) => {
    const s = [...xs].sort((x, y) => x - y);
    const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
    const mean = s.length ? s.reduce((x, y) => x + y, 0) / s.length : 0;
    return { p10: at(0.1), mean, p90: at(0.9) };
  };
  return { instruction: q(items.map((i) => i.instruction.length)), response: q(items.map((i) => i.response?.length ?? 0)) };
}
