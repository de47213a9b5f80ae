import type { JudgeTarget } from '../../adapters/llm/judge-target.js';
import { costNano, reservationNano } from '../../core/cost.js';
import type { JudgeComplete } from '../../core/grade/types.js';
import { ProviderError, type CompletionResult, type ProviderPort } from '../../core/ports.js';
import type { BudgetLedger } from '../../store/budget-ledger.js';

export class BudgetExhaustedError extends Error {
  constructor(readonly scope: string) {
    super(`budget cap reached (${scope === '*' ? 'run budget' : `cap of ${scope}`})`);
    this.name = 'BudgetExhaustedError';
  }
}

export interface JudgeBudget {
  readonly provider: ProviderPort;
  readonly target: JudgeTarget;
  readonly ledger: BudgetLedger;
  /** The cell the judging is charged to; null for a baseline's. */
  readonly cellId: number | null;
  readonly jobId: number;
  readonly signal: AbortSignal;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * The judge as the graders call it, with the generation stage's money rules: each call
 * reserves its worst case first (waiting while others' reservations fill the cap, throwing
 * BudgetExhaustedError when the cap itself is reached) and settles to the real usage, purpose
 * `judge`. An abandoned call is charged at its reservation, since it may have been billed.
 */
export function budgetedJudge(b: JudgeBudget): JudgeComplete {
  const { generator } = b.target;
  return async (req) => {
    const amount = reservationNano(req.messages, req.maxTokens, generator.price);
    let reservationId: number;
    for (;;) {
      if (b.signal.aborted) throw new ProviderError('aborted', 'judging was stopped');
      const r = b.ledger.reserve({ generator: generator.id, cellId: b.cellId, jobId: b.jobId, amountNano: amount });
      if (r.ok) {
        reservationId = r.id;
        break;
      }
      if (r.reason === 'exhausted') throw new BudgetExhaustedError(r.scope);
      await sleep(200, b.signal);
    }
    const record = { cellId: b.cellId, jobId: b.jobId, generator: generator.id, purpose: 'judge' };
    let result: CompletionResult;
    try {
      result = await b.provider.complete({ ...req, signal: b.signal });
    } catch (e) {
      const err = e instanceof ProviderError ? e : new ProviderError('network', (e as Error).message);
      b.ledger.settle(reservationId, {
        ...record, tokensIn: 0, tokensOut: 0, costNano: err.kind === 'aborted' ? amount : 0, latencyMs: null, attempts: 1,
        outcome: 'error', error: `${err.kind}: ${err.message}`,
      });
      throw err;
    }
    b.ledger.settle(reservationId, {
      ...record, tokensIn: result.usage.inputTokens, tokensOut: result.usage.outputTokens,
      costNano: costNano(result.usage, generator.price), latencyMs: result.latencyMs, attempts: result.attempts, outcome: 'ok',
    });
    return result;
  };
}
