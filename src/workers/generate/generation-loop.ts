import type { GeneratorConfig } from '../../config/schema.js';
import { instructionKey, parseGeneration } from '../../core/parse/index.js';
import type { MetaPromptVariant } from '../../core/prompts/types.js';
import type { CompletionResult, ProviderPort } from '../../core/ports.js';
import type { Domain, Method } from '../../core/setting.js';
import type { BudgetLedger } from '../../store/budget-ledger.js';
import { cellCounts } from '../../store/cell-repo.js';
import type { InstanceRepo } from '../../store/instance-repo.js';
import type { Db } from '../../store/open-store.js';
import type { TaskSource, WorkItem } from './task-source.js';
import { WriteBatch } from '../../store/write-batch.js';
import { pause } from '../../adapters/pause.js';
import { BudgetedCalls, type Reservation } from '../budgeted-calls.js';

export type GenerationOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'budget-exhausted'; readonly scope: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly error: string };

export interface LoopContext {
  readonly db: Db;
  readonly ledger: BudgetLedger;
  readonly instances: InstanceRepo;
  readonly provider: ProviderPort;
  readonly generator: GeneratorConfig;
  readonly cellId: number;
  readonly jobId: number;
  readonly domain: Domain;
  readonly method: Method;
  readonly variant: MetaPromptVariant;
  readonly source: TaskSource;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topP: number;
  /** Instructions that may not be generated again (the seed set's, for instance generation). */
  readonly forbiddenKeys: ReadonlySet<string>;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  /** Consecutive failed requests (after the provider's own retries) that fail the cell. */
  readonly maxConsecutiveFailures?: number;
}

/** What parsing an answer and storing its verdict needs of the loop's context. */
export type AnswerContext = Pick<LoopContext, 'method' | 'domain' | 'variant' | 'instances' | 'cellId' | 'forbiddenKeys'>;

/**
 * Parses an answer (outside any transaction) and returns the writes that store it, accepted
 * or rejected with its reason, to run in the transaction that settles its call's cost. Live
 * calls and provider batches both accept answers through here.
 */
export function answerWrites(ctx: AnswerContext, item: WorkItem, result: CompletionResult): (callId: number) => 'accepted' | 'rejected' {
  const parsed = parseGeneration({
    method: ctx.method,
    domain: ctx.domain,
    variant: ctx.variant,
    text: result.text,
    finishReason: result.finishReason,
    source: item.source,
  });
  return (callId) => {
    const reject = (reason: string, detail?: string) => {
      ctx.instances.reject({ cellId: ctx.cellId, reason, ...(detail ? { detail } : {}), raw: result.text, seedIndex: item.seedIndex, callId });
      return 'rejected' as const;
    };
    if (!parsed.ok) return reject(parsed.reason, parsed.detail);
    const key = instructionKey(parsed.instance.instruction);
    if (ctx.forbiddenKeys.has(key)) return reject('copies-seed', 'the instruction is one of the seed set');
    const r = ctx.instances.accept({
      cellId: ctx.cellId,
      instruction: parsed.instance.instruction,
      response: parsed.instance.response,
      instructionKey: key,
      seedIndex: item.seedIndex,
      callId,
    });
    if (r === 'accepted') return 'accepted' as const;
    if (r === 'duplicate') return reject('duplicate', 'an accepted instance has the same instruction');
    if (r === 'full') return reject('surplus', 'the cell already held its target when this answer came');
    return reject('surplus', 'this seed item was already answered');
  };
}

/** A rejected (or failed) response/quality item is asked again, or dropped once its attempts are spent. */
export async function settleRejectedItem(
  ctx: Pick<LoopContext, 'source' | 'instances' | 'cellId' | 'log'>,
  writes: { run<T>(f: () => T): Promise<T> },
  item: WorkItem,
): Promise<void> {
  if (ctx.source.rejected(item) !== 'dropped' || item.seedIndex === null) return;
  const seedIndex = item.seedIndex;
  const attempts = ctx.source.attemptsOf(seedIndex);
  if (await writes.run(() => ctx.instances.drop(ctx.cellId, seedIndex, attempts)))
    ctx.log(`seed item ${seedIndex} dropped: rejected on all ${attempts} attempts`);
}

/**
 * Keeps up to the provider's concurrency of requests in flight until the cell holds its
 * target. Each request goes through BudgetedCalls: reserve worst case -> call -> in one
 * transaction settle the real cost and store the instance or the rejection. A kill at any point loses at most the
 * requests in flight; their reservations are charged by whoever notices the death.
 */
export async function runGenerationLoop(ctx: LoopContext): Promise<GenerationOutcome> {
  const maxFailures = ctx.maxConsecutiveFailures ?? 3;
  // Only this worker adds to its cell, so its own count stays right between reads.
  const start = cellCounts(ctx.db, ctx.cellId);
  const target = start.target;
  let accepted = start.accepted;
  let inflight = 0;
  let consecutiveFailures = 0;
  let stop: GenerationOutcome | undefined;
  let wake: () => void = () => {};
  const settled = () => new Promise<void>((r) => (wake = r));
  const writes = new WriteBatch(ctx.db);
  const calls = new BudgetedCalls({
    ledger: ctx.ledger,
    provider: ctx.provider,
    generator: ctx.generator,
    cellId: ctx.cellId,
    jobId: ctx.jobId,
    purpose: 'generate',
    signal: ctx.signal,
    writes,
  });
  const settleRejected = (item: WorkItem) => settleRejectedItem(ctx, writes, item);

  const handle = async (item: WorkItem, reservation: Reservation): Promise<void> => {
    const out = await calls.call(reservation, (result) => {
      consecutiveFailures = 0;
      return answerWrites(ctx, item, result);
    });
    if (!out.ok) {
      const err = out.error;
      // Aborted: charged at its reservation by BudgetedCalls; the loop is stopping anyway.
      if (err.kind === 'aborted') return;
      await settleRejected(item);
      consecutiveFailures++;
      ctx.log(`request failed (${err.kind}): ${err.message}`);
      if (!err.retryable) stop ??= { kind: 'failed', error: `${err.kind}: ${err.message}` };
      else if (consecutiveFailures >= maxFailures)
        stop ??= { kind: 'failed', error: `${consecutiveFailures} requests in a row failed after retries; last: ${err.kind}: ${err.message}` };
      return;
    }
    if (out.value === 'accepted') accepted++;
    else await settleRejected(item);
  };

  while (!stop) {
    if (ctx.signal.aborted) {
      stop = { kind: 'cancelled' };
      break;
    }
    if (accepted >= target) break;
    const room = Math.min(ctx.provider.concurrency, target - accepted) - inflight;
    const burst: WorkItem[] = [];
    for (let item: WorkItem | undefined; burst.length < room && (item = ctx.source.next());) burst.push(item);
    if (burst.length > 0) {
      // One transaction reserves the whole burst; the prefix that fits is sent.
      const { reserved, refused } = calls.reserve(
        burst.map((item) => ({
          messages: item.prompt.messages,
          maxTokens: item.prompt.maxTokens ?? ctx.maxTokens,
          temperature: ctx.temperature,
          topP: ctx.topP,
          stop: item.prompt.stop,
        })),
      );
      reserved.forEach((r, i) => {
        inflight++;
        void handle(burst[i]!, r)
          .catch((e: unknown) => (stop ??= { kind: 'failed', error: `internal error: ${(e as Error).stack ?? String(e)}` }))
          .finally(() => {
            inflight--;
            wake();
          });
      });
      if (!refused) continue;
      // Hand back what was not sent, last first, so the order is kept.
      for (const item of burst.slice(reserved.length).reverse()) ctx.source.unnext?.(item);
      if (refused.reason === 'exhausted') {
        stop = { kind: 'budget-exhausted', scope: refused.scope };
        break;
      }
      // Others' reservations fill the cap; they settle for less than reserved, so wait.
      if (inflight > 0) await settled();
      else await pause(200, ctx.signal);
      continue;
    }
    if (inflight === 0) {
      if (ctx.source.exhausted()) break;
      await pause(50, ctx.signal);
      continue;
    }
    await settled();
  }
  while (inflight > 0) await settled();
  const end = cellCounts(ctx.db, ctx.cellId);
  if (stop) return stop;
  if (end.accepted >= end.target) return { kind: 'done' };
  // Every seed item is answered or dropped: the cell holds what could be made, as in the
  // official code; its planned target stays stored beside the dropped count.
  if (end.accepted + end.dropped >= end.target) {
    ctx.log(`done with ${end.accepted} of ${end.target} planned: ${end.dropped} seed items dropped after every attempt was rejected`);
    return { kind: 'done' };
  }
  return {
    kind: 'failed',
    error: `the seed set has fewer items than the cell's target: ${end.accepted} accepted + ${end.dropped} dropped of ${end.target} planned (did the seed set change after the run was planned?)`,
  };
}
