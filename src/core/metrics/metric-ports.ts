import type { PromptLogprobs } from '../analysis/perplexity.js';

/**
 * What the metrics stage needs of the models it measures with. The LLM judge and the open judge
 * are chat models (core/ports.ts ProviderPort, through BudgetedCalls); these three are the rest.
 */

/** Prompt token logprobs of an OpenAI-compatible server (completions, echo + logprobs, max_tokens 1: the generated token is dropped). */
export interface LogprobPort {
  promptLogprobs(text: string, signal: AbortSignal): Promise<PromptLogprobs & { readonly inputTokens: number }>;
}

/** Embeddings (OpenAI `/v1/embeddings` or an OpenAI-compatible server), in the order of `texts`. */
export interface EmbeddingPort {
  embed(texts: readonly string[], signal: AbortSignal): Promise<{ readonly vectors: readonly (readonly number[])[]; readonly inputTokens: number }>;
}

/** A reward model's scalar score of a response to an instruction. */
export interface RewardPort {
  score(instruction: string, response: string, signal: AbortSignal): Promise<number>;
}
