import { BatchSubmitError, type BatchClient } from '../../adapters/llm/batch-port.js';
import { ProviderError, type CompletionRequest } from '../../core/ports.js';
import { closeBatch, insertBatch, markBatchRequestSettled, markBatchSent, type BatchRow } from '../../store/batch-repo.js';
import type { BudgetedCalls, Reservation } from '../budgeted-calls.js';
import type { LoopContext } from './generation-loop.js';
import type { WorkItem } from './task-source.js';

/** What sending one batch came to. */
export type SendOutcome =
  | { readonly kind: 'sent'; readonly batch: BatchRow }
  /** Nothing fits under the cap now: `exhausted` stops the cell, `contended` waits for others. */
  | { readonly kind: 'refused'; readonly reason: 'exhausted' | 'contended'; readonly scope: string }
  | { readonly kind: 'failed'; readonly error: ProviderError }
  | { readonly kind: 'empty' };

export function requestOf(ctx: Pick<LoopContext, 'maxTokens' | 'temperature' | 'topP'>, item: WorkItem): CompletionRequest {
  return {
    messages: item.prompt.messages,
    maxTokens: item.prompt.maxTokens ?? ctx.maxTokens,
    temperature: ctx.temperature,
    topP: ctx.topP,
    ...(item.prompt.stop !== undefined && { stop: item.prompt.stop }),
  };
}

/** Batch answers are named by their reservation, unique in the run and within the providers' id rules. */
export const customIdOf = (reservationId: number) => `agora-r${reservationId}`;

/**
 * Takes up to `size` items, reserves each one's worst case at the batch price, stores the batch
 * (its requests' reservations detached from this job, so a kill does not orphan-charge them)
 * and only then sends it: a batch is never sent that the store does not know of. A send that
 * may have reached the provider without an id coming back is charged at its worst case.
 */
export async function sendBatch(
  ctx: LoopContext,
  calls: BudgetedCalls,
  client: BatchClient,
  size: number,
  onFailedItem: (item: WorkItem) => Promise<void>,
): Promise<SendOutcome> {
  const items: WorkItem[] = [];
  for (let item: WorkItem | undefined; items.length < size && (item = ctx.source.next());) items.push(item);
  if (items.length === 0) return { kind: 'empty' };
  const { reserved, refused } = calls.reserve(items.map((i) => requestOf(ctx, i)));
  // Hand back what did not fit, last first, so the order is kept.
  for (const item of items.slice(reserved.length).reverse()) ctx.source.unnext?.(item);
  if (reserved.length === 0) return { kind: 'refused', reason: refused?.reason ?? 'contended', scope: refused?.scope ?? '*' };
  const batch = insertBatch(
    ctx.db,
    ctx.cellId,
    reserved.map((r, i) => ({
      customId: customIdOf(r.id),
      reservationId: r.id,
      amountNano: r.amountNano,
      seedIndex: items[i]!.seedIndex,
      itemJson: JSON.stringify(items[i]),
    })),
  );
  try {
    const providerId = await client.submit(
      reserved.map((r) => ({ customId: customIdOf(r.id), request: r.request })),
      ctx.signal,
    );
    markBatchSent(ctx.db, batch.id, providerId);
    const note = `batch ${batch.seq} sent: ${reserved.length} requests (${providerId})`;
    ctx.log(note);
    return { kind: 'sent', batch: { ...batch, provider_batch_id: providerId, state: 'in-flight' } };
  } catch (e) {
    const error = e instanceof ProviderError ? e : new ProviderError('network', (e as Error).message);
    // Only the create can have reached the provider; a failed upload before it created nothing.
    const maybeSent = e instanceof BatchSubmitError && e.maybeSent;
    await settleUnsent(ctx, calls, batch, reserved, items, maybeSent, error, onFailedItem);
    return { kind: 'failed', error };
  }
}

async function settleUnsent(
  ctx: LoopContext,
  calls: BudgetedCalls,
  batch: BatchRow,
  reserved: readonly Reservation[],
  items: readonly WorkItem[],
  maybeSent: boolean,
  error: ProviderError,
  onFailedItem: (item: WorkItem) => Promise<void>,
): Promise<void> {
  const why = `the batch may have reached the provider (${error.kind}: ${error.message}); charged at its reserved worst case`;
  for (const [i, r] of reserved.entries()) {
    const close = () => markBatchRequestSettled(ctx.db, batch.id, customIdOf(r.id));
    if (maybeSent) await calls.settleUnknown(r, why, close);
    else await calls.settleError(r, error, close);
    await onFailedItem(items[i]!);
  }
  closeBatch(ctx.db, batch.id, maybeSent ? 'lost' : 'failed', `${error.kind}: ${error.message}`);
  ctx.log(`batch ${batch.seq} not sent (${error.kind}): ${error.message}${maybeSent ? '; charged at its worst case, as it may have been' : ''}`);
}

/**
 * A batch a dead worker stored but may not have sent: its id never came back, so it cannot be
 * polled. Charged at its worst case (orphaned), as a live request cut off by a kill is.
 */
export async function settleLostBatch(
  ctx: LoopContext,
  calls: BudgetedCalls,
  batch: BatchRow,
  pending: ReadonlyArray<{ readonly customId: string; readonly reservation: Pick<Reservation, 'id' | 'amountNano'>; readonly item: WorkItem }>,
  onFailedItem: (item: WorkItem) => Promise<void>,
): Promise<void> {
  const why = 'the worker sending this batch died before the provider acknowledged it; charged at its reserved worst case';
  for (const p of pending) {
    await calls.settleUnknown(p.reservation, why, () => markBatchRequestSettled(ctx.db, batch.id, p.customId));
    await onFailedItem(p.item);
  }
  closeBatch(ctx.db, batch.id, 'lost', why);
  ctx.log(`batch ${batch.seq}: ${why}`);
}
