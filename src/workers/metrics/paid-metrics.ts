import type { GeneratorConfig } from '../../config/schema.js';
import { ProviderError, type CompletionResult, type ProviderPort } from '../../core/ports.js';
import type { BudgetLedger } from '../../store/budget-ledger.js';
import { BudgetedCalls } from '../budgeted-calls.js';
import type { Ask, PayEmbeddings } from './measures.js';

export interface PaidContext {
  readonly ledger: BudgetLedger;
  readonly cellId: number;
  readonly jobId: number;
  readonly signal: AbortSignal;
}

function calls(ctx: PaidContext, provider: ProviderPort, generator: GeneratorConfig): BudgetedCalls {
  // Charged to the cell, purpose `metrics`: the cap and the ledger see them as the judge's own calls.
  return new BudgetedCalls({ ledger: ctx.ledger, provider, generator, cellId: ctx.cellId, jobId: ctx.jobId, purpose: 'metrics', signal: ctx.signal });
}

/**
 * A paid chat judge: each request reserves its worst case (waiting while others fill the cap,
 * BudgetExhaustedError when the cap is reached), and its row is written in the settle's transaction.
 */
export function paidAsk(ctx: PaidContext, provider: ProviderPort, generator: GeneratorConfig): Ask {
  const c = calls(ctx, provider, generator);
  return async (request, store) => {
    const reservation = await c.reserveWaiting(request);
    const out = await c.call(reservation, (result) => () => store(result.text));
    if (!out.ok) throw out.error;
  };
}

/** An unpriced open judge: asked directly, no ledger row (it costs nothing but GPU time). */
export function freeAsk(provider: ProviderPort, signal: AbortSignal): Ask {
  return async (request, store) => {
    const result = await provider.complete({ ...request, signal });
    store(result.text);
  };
}

/**
 * Priced embeddings through the same ledger: the batch's worst case (every text's characters as
 * tokens) is reserved, the real input tokens settled with the rows in one transaction.
 */
export function paidEmbeddings(ctx: PaidContext, generator: GeneratorConfig): PayEmbeddings {
  // Only reserve and settle are used: the embedding client makes the request itself.
  const noProvider: ProviderPort = {
    generatorId: generator.id,
    concurrency: 1,
    setMaxConcurrency: () => undefined,
    complete: () => Promise.reject(new Error('embeddings are not chat completions')),
  };
  const c = calls(ctx, noProvider, generator);
  return async (texts, embed, store) => {
    const reservation = await c.reserveWaiting({ messages: texts.map((t) => ({ role: 'user', content: t })), maxTokens: 0, temperature: 0 });
    const started = Date.now();
    let usage: { inputTokens: number };
    try {
      usage = await embed();
    } catch (e) {
      await c.settleError(reservation, toProviderError(e));
      throw e;
    }
    const result: CompletionResult = {
      text: '',
      usage: { inputTokens: usage.inputTokens, outputTokens: 0 },
      finishReason: 'stop',
      latencyMs: Date.now() - started,
      attempts: 1,
      model: generator.model,
    };
    await c.settleAnswer(reservation, result, () => () => store());
  };
}

/** Unpriced embeddings: the rows alone. */
export const freeEmbeddings: PayEmbeddings = async (_texts, embed, store) => {
  await embed();
  store();
};

function toProviderError(e: unknown): ProviderError {
  return e instanceof ProviderError ? e : new ProviderError('network', (e as Error).message);
}
