import type { ChatMessage, TokenUsage } from './ports.js';
import type { Price } from './run-config.js';

/**
 * Money is kept in integer nano-dollars (1e-9 USD) everywhere it is stored or summed: a sweep
 * adds up millions of sub-cent costs, and floating-point sums of those drift.
 */
export type NanoUsd = number;

export function usdToNano(usd: number): NanoUsd {
  return Math.round(usd * 1e9);
}

export function nanoToUsd(n: NanoUsd): number {
  return n / 1e9;
}

/** Prices are USD per 1M tokens, so one token costs price * 1000 nano-dollars. */
export function costNano(usage: TokenUsage, price: Price): NanoUsd {
  return Math.round(usage.inputTokens * price.input * 1000 + usage.outputTokens * price.output * 1000);
}

const encoder = new TextEncoder();
/** Chat formats wrap each message in a few special tokens; 16 per message is generous. */
const PER_MESSAGE_OVERHEAD = 16;
const PER_REQUEST_OVERHEAD = 32;

/**
 * An upper bound on a prompt's tokens without a tokenizer: byte-level BPE tokenizers never
 * emit more tokens than the text has UTF-8 bytes. Reserving on this bound is what lets the
 * budget guarantee that a cap is never passed.
 */
export function worstCaseInputTokens(messages: readonly ChatMessage[]): number {
  let n = PER_REQUEST_OVERHEAD;
  for (const m of messages) n += encoder.encode(m.content).length + PER_MESSAGE_OVERHEAD;
  return n;
}

/** A typical English prompt has about 4 characters per token; used for plans, never for caps. */
export function tokensForChars(chars: number): number {
  return Math.ceil(chars / 4);
}

export function reservationNano(messages: readonly ChatMessage[], maxTokens: number, price: Price): NanoUsd {
  return costNano({ inputTokens: worstCaseInputTokens(messages), outputTokens: maxTokens }, price);
}
