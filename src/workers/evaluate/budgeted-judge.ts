import type { JudgeTarget } from '../../adapters/llm/judge-target.js';
import type { JudgeComplete } from '../../core/grade/types.js';
import type { ProviderPort } from '../../core/ports.js';
import type { BudgetLedger } from '../../store/budget-ledger.js';
import { BudgetedCalls } from '../budgeted-calls.js';

export { BudgetExhaustedError } from '../budgeted-calls.js';

export interface JudgeBudget {
  readonly provider: ProviderPort;
  readonly target: JudgeTarget;
  readonly ledger: BudgetLedger;
  /** The cell the judging is charged to; null for a baseline's. */
  readonly cellId: number | null;
  readonly jobId: number;
  readonly signal: AbortSignal;
}

/**
 * The judge as the graders call it, with the generation stage's money rules (BudgetedCalls):
 * each call reserves its worst case first (waiting while others' reservations fill the cap,
 * throwing BudgetExhaustedError when the cap itself is reached) and settles to the real usage,
 * purpose `judge`. An abandoned call is charged at its reservation, since it may have been billed.
 */
export function budgetedJudge(b: JudgeBudget): JudgeComplete {
  const calls = new BudgetedCalls({
    ledger: b.ledger,
    provider: b.provider,
    generator: b.target.generator,
    cellId: b.cellId,
    jobId: b.jobId,
    purpose: 'judge',
    signal: b.signal,
  });
  return async (req) => {
    const reservation = await calls.reserveWaiting(req);
    const out = await calls.call(reservation);
    if (!out.ok) throw out.error;
    return out.result;
  };
}
