import type { BatchClient, BatchStatus } from '../../adapters/llm/batch-port.js';
import { ProviderError } from '../../core/ports.js';
import { closeBatch, markBatchRequestSettled, pendingBatchRequests, setBatchProgress, type BatchRow } from '../../store/batch-repo.js';
import type { BudgetedCalls, Reservation } from '../budgeted-calls.js';
import { answerWrites, type LoopContext } from './generation-loop.js';
import { requestOf } from './batch-send.js';
import type { WorkItem } from './task-source.js';

/** A stored request of a batch, as the settle needs it again (after a restart too). */
export interface PendingRequest {
  readonly customId: string;
  readonly reservation: Reservation;
  readonly item: WorkItem;
}

export function pendingRequests(ctx: LoopContext, batchId: number): PendingRequest[] {
  return pendingBatchRequests(ctx.db, batchId).map((r) => {
    const item = JSON.parse(r.item_json) as WorkItem;
    return { customId: r.custom_id, item, reservation: { id: r.reservation_id, amountNano: r.amount_nano, request: requestOf(ctx, item) } };
  });
}

/** "batch 2/5: 340/1000 done at the provider": the cell's log, whose tail the detail view shows. */
function progressLine(batch: Pick<BatchRow, 'seq'>, of: number, s: Pick<BatchStatus, 'done' | 'total' | 'failed' | 'providerStatus'>): string {
  const failed = s.failed > 0 ? `, ${s.failed} failed` : '';
  return `batch ${batch.seq}/${of}: ${s.done}/${s.total} done at the provider (${s.providerStatus}${failed})`;
}

/**
 * Records a poll's counts, and logs them when they changed. Not as timeline events: the detail
 * view reads a generate/running event as the stage's start (its ETA would restart at each).
 */
export function recordProgress(ctx: LoopContext, batch: BatchRow, of: number, s: BatchStatus): void {
  if (s.done === batch.done && s.failed === batch.failed && s.providerStatus === batch.provider_status) return;
  setBatchProgress(ctx.db, batch.id, { done: s.done, failed: s.failed, providerStatus: s.providerStatus });
  ctx.log(progressLine(batch, of, s));
}

export interface SettleTally {
  readonly accepted: number;
  readonly rejected: number;
  /** Requests with no answer: their errors, as a live call's would be. */
  readonly errors: readonly ProviderError[];
}

/**
 * Reads an ended batch's results and settles every request still open, each at the batch
 * price and in one transaction with its verdict, through the same parse/validate/dedupe as a
 * live answer. A request with no answer (errored, expired) is settled at 0, as a failed call.
 */
export async function settleEndedBatch(
  ctx: LoopContext,
  calls: BudgetedCalls,
  client: BatchClient,
  batch: BatchRow,
  status: BatchStatus,
  onRejected: (item: WorkItem) => Promise<void>,
): Promise<SettleTally> {
  const rows = new Map((await client.results(batch.provider_batch_id!, ctx.signal)).map((r) => [r.customId, r]));
  let accepted = 0;
  let rejected = 0;
  const errors: ProviderError[] = [];
  for (const p of pendingRequests(ctx, batch.id)) {
    const row = rows.get(p.customId);
    const close = () => markBatchRequestSettled(ctx.db, batch.id, p.customId);
    if (row?.ok) {
      const out = await calls.settleAnswer(p.reservation, row.result, (result) => {
        const write = answerWrites(ctx, p.item, result);
        return (callId) => {
          close();
          return write(callId);
        };
      });
      if (out.ok && out.value === 'accepted') accepted++;
      else {
        rejected++;
        await onRejected(p.item);
      }
      continue;
    }
    const error = row?.error ?? new ProviderError('timeout', `batch request: no answer in the results (${status.problem ?? status.providerStatus})`);
    await calls.settleError(p.reservation, error, close);
    errors.push(error);
    await onRejected(p.item);
  }
  closeBatch(ctx.db, batch.id, 'settled', status.problem);
  const note = `batch ${batch.seq} ended (${status.providerStatus}): ${accepted} accepted, ${rejected} rejected, ${errors.length} failed${status.problem ? `; ${status.problem}` : ''}`;
  ctx.log(note);
  if (errors[0]) ctx.log(`first failed request (${errors[0].kind}): ${errors[0].message}`);
  return { accepted, rejected, errors };
}
