import { setTimeout as delay } from 'node:timers/promises';
import { costNano, reservationNano, type NanoUsd } from '../core/cost.js';
import { ProviderError, type CompletionRequest, type CompletionResult, type ProviderPort } from '../core/ports.js';
import type { BudgetLedger } from '../store/budget-ledger.js';

export class BudgetExhaustedError extends Error {
  constructor(readonly scope: string) {
    super(`budget cap reached (${scope === '*' ? 'run budget' : `cap of ${scope}`})`);
    this.name = 'BudgetExhaustedError';
  }
}

/** Whatever core prices in (named by cost's signature, so this module follows where Price lives). */
type Price = Parameters<typeof costNano>[1];

/** Where settles run: directly (each its own transaction) or queued into a shared write batch. */
interface Writes {
  run<T>(f: () => T): Promise<T>;
}

export interface BudgetedCallsOptions {
  readonly ledger: BudgetLedger;
  readonly provider: ProviderPort;
  readonly generator: { readonly id: string; readonly price: Price };
  /** The cell the calls are charged to; null for a baseline's judging. */
  readonly cellId: number | null;
  readonly jobId: number;
  /** Recorded with each call (`generate`, `judge`). */
  readonly purpose: string;
  readonly signal: AbortSignal;
  /** Defaults to settling at once; the generation loop passes its WriteBatch. */
  readonly writes?: Writes;
}

/** A request whose worst case is held in the ledger: exactly one `call` settles it. */
export interface Reservation {
  readonly id: number;
  readonly amountNano: NanoUsd;
  readonly request: CompletionRequest;
}

export interface BurstReservation {
  /** The prefix of the burst that fits, in order. */
  readonly reserved: readonly Reservation[];
  /**
   * Why the rest did not: `exhausted` means stop (the cap itself is reached), `contended`
   * means others' reservations fill it for now and settle for less, so wait and try again.
   */
  readonly refused?: { readonly reason: 'exhausted' | 'contended'; readonly scope: string };
}

export type CallOutcome<T> =
  { readonly ok: true; readonly result: CompletionResult; readonly value: T } | { readonly ok: false; readonly error: ProviderError };

/**
 * The one path for a request that costs money: reserve its worst case, call the provider
 * with the run's signal, settle to the real cost (with the caller's own writes in the same
 * transaction), and charge a call cut off by an abort at its reservation, since the provider
 * may have billed it. Generation and judging both go through here.
 */
export class BudgetedCalls {
  private readonly writes: Writes;

  constructor(private readonly o: BudgetedCallsOptions) {
    // Default: each settle (and the caller's writes with it) in its own IMMEDIATE transaction.
    this.writes = o.writes ?? { run: (f) => Promise.resolve().then(() => o.ledger.inTransaction(f)) };
  }

  /** Reserves a burst in one transaction; the prefix that fits is returned. */
  reserve(requests: readonly CompletionRequest[]): BurstReservation {
    const amounts = requests.map((r) => reservationNano(r.messages, r.maxTokens, this.o.generator.price));
    const results = this.o.ledger.reserveMany(
      amounts.map((amountNano) => ({ generator: this.o.generator.id, cellId: this.o.cellId, jobId: this.o.jobId, amountNano })),
    );
    const reserved: Reservation[] = [];
    for (const [i, r] of results.entries()) {
      if (!r.ok) return { reserved, refused: { reason: r.reason, scope: r.scope } };
      reserved.push({ id: r.id, amountNano: amounts[i]!, request: requests[i]! });
    }
    return { reserved };
  }

  /**
   * Reserves one request, waiting while others' reservations fill the cap. Throws
   * BudgetExhaustedError when the cap itself is reached, ProviderError('aborted') on abort.
   */
  async reserveWaiting(request: CompletionRequest, waitMs = 200): Promise<Reservation> {
    for (;;) {
      if (this.o.signal.aborted) throw new ProviderError('aborted', `${this.o.purpose} was stopped`);
      const { reserved, refused } = this.reserve([request]);
      if (reserved[0]) return reserved[0];
      if (refused?.reason === 'exhausted') throw new BudgetExhaustedError(refused.scope);
      await delay(waitMs, undefined, { signal: this.o.signal }).catch(() => undefined);
    }
  }

  /**
   * Sends a reserved request and settles it. `onResult` runs outside the transaction (to parse)
   * and returns the writes that must commit atomically with the settle, given the call's id.
   * A failed call is settled at 0, or at its reservation when it was aborted.
   */
  async call<T = undefined>(reservation: Reservation, onResult?: (result: CompletionResult) => (callId: number) => T): Promise<CallOutcome<T>> {
    let result: CompletionResult;
    try {
      result = await this.o.provider.complete({ ...reservation.request, signal: this.o.signal });
    } catch (e) {
      const error = e instanceof ProviderError ? e : new ProviderError('network', (e as Error).message);
      await this.settleError(reservation, error);
      return { ok: false, error };
    }
    return this.settleAnswer(reservation, result, onResult);
  }

  /**
   * Settles an answer that came by another way than `call` (a provider batch): at its real cost,
   * with the caller's writes in the same transaction, exactly as `call` does.
   */
  async settleAnswer<T = undefined>(
    reservation: Reservation,
    result: CompletionResult,
    onResult?: (result: CompletionResult) => (callId: number) => T,
  ): Promise<CallOutcome<T>> {
    const after = onResult?.(result);
    const value = await this.writes.run(() => {
      const callId = this.o.ledger.settle(reservation.id, {
        ...this.record(),
        tokensIn: result.usage.inputTokens,
        tokensOut: result.usage.outputTokens,
        costNano: costNano(result.usage, this.o.generator.price),
        latencyMs: result.latencyMs,
        attempts: result.attempts,
        outcome: 'ok',
      });
      return after?.(callId) as T;
    });
    return { ok: true, result, value };
  }

  /** A failed request: at 0 (nothing was billed), or at its reservation when it was aborted in flight. */
  async settleError(reservation: Reservation, error: ProviderError, alsoWrite?: () => void): Promise<void> {
    await this.writes.run(() => {
      this.o.ledger.settle(reservation.id, {
        ...this.record(),
        tokensIn: 0,
        tokensOut: 0,
        costNano: error.kind === 'aborted' ? reservation.amountNano : 0,
        latencyMs: null,
        attempts: 1,
        outcome: 'error',
        error: `${error.kind}: ${error.message}`,
      });
      alsoWrite?.();
    });
  }

  /**
   * A request that may or may not have been billed and whose answer will never be read (a batch
   * whose sending was cut off): charged at its worst case and recorded as orphaned.
   */
  async settleUnknown(reservation: Pick<Reservation, 'id' | 'amountNano'>, why: string, alsoWrite?: () => void): Promise<void> {
    await this.writes.run(() => {
      this.o.ledger.settle(reservation.id, {
        ...this.record(),
        purpose: 'orphaned',
        tokensIn: 0,
        tokensOut: 0,
        costNano: reservation.amountNano,
        latencyMs: null,
        attempts: 1,
        outcome: 'orphaned',
        error: why,
      });
      alsoWrite?.();
    });
  }

  private record() {
    return { cellId: this.o.cellId, jobId: this.o.jobId, generator: this.o.generator.id, purpose: this.o.purpose };
  }
}
