import { usdToNano } from '../../src/core/cost.js';
import { BudgetLedger, type CallRecord } from '../../src/store/budget-ledger.js';
import type { Db } from '../../src/store/open-store.js';

export interface PaidCall {
  readonly generator: string;
  readonly cellId: number | null;
  readonly purpose: string;
  readonly usd: number;
  readonly jobId?: number | null;
  /** What the call reserves before it settles (its worst case); default `usd`. */
  readonly reserveUsd?: number;
  /** Input and output tokens recorded; default 1 each. */
  readonly tokens?: number;
}

/** One paid call through the real ledger: reserve its worst case, settle to `usd`. Answers the call's id. */
export function payCall(db: Db, c: PaidCall): number {
  const ledger = new BudgetLedger(db);
  const jobId = c.jobId ?? null;
  const r = ledger.reserve({ generator: c.generator, cellId: c.cellId, jobId, amountNano: usdToNano(c.reserveUsd ?? c.usd) });
  if (!r.ok) throw new Error(`reserve refused: ${r.reason} ${r.scope}`);
  const call: CallRecord = {
    cellId: c.cellId,
    jobId,
    generator: c.generator,
    purpose: c.purpose,
    tokensIn: c.tokens ?? 1,
    tokensOut: c.tokens ?? 1,
    costNano: usdToNano(c.usd),
    latencyMs: 1,
    attempts: 1,
    outcome: 'ok',
  };
  return ledger.settle(r.id, call);
}
