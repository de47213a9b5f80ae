/**
 * Instruction difficulty as the student base model's perplexity of the instruction (the
 * paper's Table 8), from the prompt token logprobs an OpenAI-compatible server returns
 * (completions with echo + logprobs, or vLLM's prompt_logprobs).
 *
 * Per item: exp(-mean logprob) over the item's own tokens. Tokens without a logprob are left
 * out: the first token of a prompt has nothing to be predicted from (the server sends null),
 * and a null anywhere means the server scored no token there. Across items: the arithmetic
 * mean of the per-item perplexities, so every instruction weighs the same.
 *
 * The official evaluator differs, and we do not copy it: it took one perplexity per padded
 * batch (exp of the batch's mean loss) with the padding positions left unmasked in the loss,
 * so an item's score depended on its batch-mates' lengths and on the pad token's probability.
 * Here each item is scored alone and no padding ever reaches the mean.
 */

export interface PromptLogprobs {
  /** One entry per prompt token, null where the server gives none (always the first). */
  readonly tokenLogprobs: readonly (number | null)[];
  /**
   * [start, end) of the item's own tokens when the prompt wraps it (a chat template or a
   * prefix): only those are scored. The whole prompt when absent.
   */
  readonly span?: { readonly start: number; readonly end: number };
}

export interface ItemPerplexity {
  /** Tokens that entered the mean. */
  readonly tokens: number;
  readonly perplexity: number;
}

export interface PerplexitySummary {
  /** Mean of the per-item perplexities; NaN when no item could be scored. */
  readonly mean: number;
  readonly scored: number;
  /** Items with no token to score (a one-token instruction): left out of the mean, counted. */
  readonly skipped: number;
  readonly perItem: readonly (ItemPerplexity | undefined)[];
}

// log_softmax is <= 0; servers computing in low precision may return a hair above 0.
const ROUNDING = 1e-4;

/** Perplexity of one item, or undefined when it has no scored token. */
export function itemPerplexity(item: PromptLogprobs, label = 'item'): ItemPerplexity | undefined {
  const all = item.tokenLogprobs;
  const start = item.span?.start ?? 0;
  const end = item.span?.end ?? all.length;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > all.length || start > end) {
    throw new RangeError(`${label}: span [${start}, ${end}) does not fit its ${all.length} prompt tokens`);
  }
  let sum = 0;
  let tokens = 0;
  for (let i = start; i < end; i++) {
    const lp = all[i];
    if (lp === null || lp === undefined) continue;
    if (!Number.isFinite(lp) || lp > ROUNDING) {
      throw new RangeError(`${label}: token ${i} has logprob ${lp}; a log-probability is a finite number <= 0`);
    }
    sum += Math.min(0, lp);
    tokens++;
  }
  if (tokens === 0) return undefined;
  return { tokens, perplexity: Math.exp(-sum / tokens) };
}

export function meanPerplexity(items: readonly PromptLogprobs[]): PerplexitySummary {
  const perItem = items.map((it, i) => itemPerplexity(it, `item ${i}`));
  const scored = perItem.filter((p): p is ItemPerplexity => p !== undefined);
  const mean = scored.length === 0 ? Number.NaN : scored.reduce((s, p) => s + p.perplexity, 0) / scored.length;
  return { mean, scored: scored.length, skipped: items.length - scored.length, perItem };
}
