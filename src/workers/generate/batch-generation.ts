import type { BatchClient, BatchStatus } from '../../adapters/llm/batch-port.js';
import { pause } from '../../adapters/pause.js';
import { effectivePrice } from '../../core/plan.js';
import type { ProviderError } from '../../core/ports.js';
import { countBatches, openBatches, openBatchSeedIndexes } from '../../store/batch-repo.js';
import { cellCounts } from '../../store/cell-repo.js';
import { BudgetedCalls } from '../budgeted-calls.js';
import { settleLostBatch, sendBatch } from './batch-send.js';
import { pendingRequests, recordProgress, settleEndedBatch, type SettleTally } from './batch-settle.js';
import { settleRejectedItem, type GenerationOutcome, type LoopContext } from './generation-loop.js';
import { plural } from '../../core/views/format.js';

export interface BatchOptions {
  readonly client: BatchClient;
  /** Requests per batch (the providers take up to 50,000 / 100,000). */
  readonly size: number;
  /** Between polls of the provider. */
  readonly pollMs: number;
  /** Only collect the batches already out (the config no longer says `batch`); `done` once none is. */
  readonly collectOnly?: boolean;
}

/**
 * Generation through the provider's batch API: the cell's missing instances go out as
 * batches of at most `size` requests (each reserved at its worst case at the batch price),
 * which are polled until they end and then settled and accepted exactly as live answers are.
 * A batch in flight outlives this process: quitting or a kill leaves it stored, and the next
 * worker for the cell polls it instead of sending it again.
 */
export async function runBatchGeneration(ctx: LoopContext, o: BatchOptions): Promise<GenerationOutcome> {
  const maxFailures = ctx.maxConsecutiveFailures ?? 3;
  const calls = new BudgetedCalls({
    ledger: ctx.ledger,
    provider: ctx.provider,
    generator: { id: ctx.generator.id, price: effectivePrice(ctx.generator.price, true) },
    cellId: ctx.cellId,
    jobId: ctx.jobId,
    purpose: 'generate',
    signal: ctx.signal,
  });
  const onRejected = (item: Parameters<typeof settleRejectedItem>[2]) =>
    settleRejectedItem(ctx, { run: (f) => Promise.resolve(ctx.ledger.inTransaction(f)) }, item);
  let failures = 0;
  let exhausted: string | undefined;
  const failedRound = (error: ProviderError): GenerationOutcome | undefined => {
    ctx.log(`batch requests failed (${error.kind}): ${error.message}`);
    if (!error.retryable) return { kind: 'failed', error: `${error.kind}: ${error.message}` };
    if (++failures >= maxFailures) return { kind: 'failed', error: `${failures} batches in a row failed; last: ${error.kind}: ${error.message}` };
    return undefined;
  };

  for (const b of openBatches(ctx.db, ctx.cellId).filter((b) => b.state === 'submitting')) {
    await settleLostBatch(ctx, calls, b, pendingRequests(ctx, b.id), onRejected);
  }
  const resumed = openBatches(ctx.db, ctx.cellId).length;
  if (resumed > 0)
    ctx.log(
      `${plural(resumed, 'batch', 'batches')} already at the provider: polling ${resumed === 1 ? 'it' : 'them'}, not sending ${resumed === 1 ? 'it' : 'them'} again`,
    );

  for (;;) {
    if (ctx.signal.aborted) {
      const open = openBatches(ctx.db, ctx.cellId).length;
      if (open > 0) ctx.log(`stopping with ${open} batches still at the provider; they stay reserved and are collected when the cell runs again`);
      return { kind: 'cancelled' };
    }
    // Send what the cell still lacks beyond what is already out, unless the cap said stop.
    const counts = cellCounts(ctx.db, ctx.cellId);
    let missing = counts.target - counts.accepted - openBatchSeedIndexes(ctx.db, ctx.cellId).count;
    let wait = false;
    while (!o.collectOnly && missing > 0 && exhausted === undefined && !ctx.signal.aborted) {
      const sent = await sendBatch(ctx, calls, o.client, Math.min(o.size, missing), onRejected);
      if (sent.kind === 'empty') break;
      if (sent.kind === 'refused') {
        if (sent.reason === 'exhausted') exhausted = sent.scope;
        else wait = true;
        break;
      }
      if (sent.kind === 'failed') {
        // Cut off by a stop or cancel: the loop's top says so (not a failure of the provider).
        if (ctx.signal.aborted) break;
        const stop = failedRound(sent.error);
        if (stop) return stop;
        wait = true;
        break;
      }
      missing -= sent.batch.total;
    }
    const open = openBatches(ctx.db, ctx.cellId);
    if (open.length === 0) {
      if (o.collectOnly) return { kind: 'done' };
      if (exhausted !== undefined) return { kind: 'budget-exhausted', scope: exhausted };
      const end = cellCounts(ctx.db, ctx.cellId);
      if (end.accepted >= end.target) return { kind: 'done' };
      if (ctx.source.exhausted() && !wait) return finishShort(ctx, end);
      await pause(wait ? o.pollMs : 0, ctx.signal);
      continue;
    }
    await pause(o.pollMs, ctx.signal);
    if (ctx.signal.aborted) continue;
    const of = countBatches(ctx.db, ctx.cellId);
    for (const b of open) {
      let status: BatchStatus;
      try {
        status = await o.client.status(b.provider_batch_id!, ctx.signal);
      } catch (e) {
        const error = e as ProviderError;
        if (error.kind === 'aborted') break;
        ctx.log(`polling batch ${b.seq} (${b.provider_batch_id}) failed (${error.kind}): ${error.message}`);
        // The batch stays stored and reserved: a retry of the cell polls it again.
        if (!error.retryable) return { kind: 'failed', error: `polling batch ${b.provider_batch_id}: ${error.kind}: ${error.message}` };
        continue;
      }
      recordProgress(ctx, b, of, status);
      if (status.phase !== 'ended') continue;
      let tally: SettleTally;
      try {
        tally = await settleEndedBatch(ctx, calls, o.client, b, status, onRejected);
      } catch (e) {
        const error = e as ProviderError;
        if (error.kind === 'aborted') break;
        ctx.log(`reading the results of batch ${b.seq} failed (${error.kind}): ${error.message}; trying again`);
        continue;
      }
      // Answers count as a live call's: a failed request that cannot succeed when asked again
      // fails the cell; a batch with nothing but failures counts toward the consecutive limit.
      const hard = tally.errors.find((e) => !e.retryable);
      if (hard) return { kind: 'failed', error: `${hard.kind}: ${hard.message}` };
      if (tally.errors.length > 0 && tally.accepted + tally.rejected === 0) {
        const stop = failedRound(tally.errors[0]!);
        if (stop) return stop;
      } else failures = 0;
    }
  }
}

/** Every seed item answered or dropped: done with what could be made, as the live loop ends. */
function finishShort(ctx: LoopContext, end: { accepted: number; target: number; dropped: number }): GenerationOutcome {
  if (end.accepted + end.dropped >= end.target) {
    ctx.log(`done with ${end.accepted} of ${end.target} planned: ${end.dropped} seed items dropped after every attempt was rejected`);
    return { kind: 'done' };
  }
  return {
    kind: 'failed',
    error: `the seed set has fewer items than the cell's target: ${end.accepted} accepted + ${end.dropped} dropped of ${end.target} planned`,
  };
}
