import type { Db } from './open-store.js';
import type { NanoUsd } from '../core/cost.js';

export const RUN_SCOPE = '*';

export type ReserveResult =
  | { readonly ok: true; readonly id: number }
  /**
   * `exhausted`: even with nothing else reserved, this request would pass a cap: the cell must
   * stop. `contended`: other requests' reservations fill the cap for now; they settle to less
   * than they reserved, so waiting and trying again may succeed.
   */
  | { readonly ok: false; readonly reason: 'exhausted' | 'contended'; readonly scope: string };

export interface ReserveRequest {
  readonly generator: string;
  readonly cellId: number | null;
  readonly jobId: number | null;
  readonly amountNano: NanoUsd;
}

export interface CallRecord {
  readonly cellId: number | null;
  readonly jobId: number | null;
  readonly generator: string;
  readonly purpose: string;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly costNano: NanoUsd;
  readonly latencyMs: number | null;
  readonly attempts: number;
  readonly outcome: 'ok' | 'error' | 'orphaned';
  readonly error?: string;
  /**
   * The cost is the reservation's worst case, not a measured one (the request was cut off).
   * Default: an orphaned call, or a failed one charged without any tokens known.
   */
  readonly worstCase?: boolean;
}

/** Charged at its worst case: money that is spent as far as the caps go, but not known. */
export function isWorstCaseCharge(call: CallRecord): boolean {
  if (call.worstCase !== undefined) return call.worstCase;
  if (call.costNano <= 0) return false;
  return call.outcome === 'orphaned' || (call.outcome === 'error' && call.tokensIn === 0 && call.tokensOut === 0);
}

interface LedgerRow {
  spent_nano: number;
  reserved_nano: number;
}

/**
 * The budget shared by every process of a run. Each request reserves its worst-case cost in
 * one IMMEDIATE transaction (SQLite's write lock serialises all processes), and settles to its
 * real cost afterwards, so no interleaving of workers can spend past a cap.
 */
export class BudgetLedger {
  private readonly getScope;
  private readonly getRunCap;
  private readonly getGenCap;
  private readonly insertReservation;
  private readonly addReserved;
  private readonly getReservation;
  private readonly deleteReservation;
  private readonly addSpent;
  private readonly insertCall;
  private readonly addCellCost;
  private readonly addOrphaned;
  private readonly getOrphaned;

  constructor(private readonly db: Db) {
    db.prepare(`INSERT OR IGNORE INTO ledger (scope) VALUES (?)`).run(RUN_SCOPE);
    this.getScope = db.prepare<[string], LedgerRow>(`SELECT spent_nano, reserved_nano FROM ledger WHERE scope = ?`);
    this.getRunCap = db.prepare<[], { value: string }>(`SELECT value FROM run_meta WHERE key = 'budget_nano'`);
    this.getGenCap = db.prepare<[string], { cap_nano: number | null }>(`SELECT cap_nano FROM generators WHERE id = ?`);
    this.insertReservation = db.prepare(`INSERT INTO reservations (generator, cell_id, job_id, amount_nano, created_at) VALUES (?, ?, ?, ?, ?)`);
    this.addReserved = db.prepare(
      `INSERT INTO ledger (scope, reserved_nano) VALUES (?, ?) ON CONFLICT(scope) DO UPDATE SET reserved_nano = reserved_nano + excluded.reserved_nano`,
    );
    this.getReservation = db.prepare<[number], { generator: string; amount_nano: number; cell_id: number | null }>(
      `SELECT generator, amount_nano, cell_id FROM reservations WHERE id = ?`,
    );
    this.deleteReservation = db.prepare(`DELETE FROM reservations WHERE id = ?`);
    this.addSpent = db.prepare(
      `INSERT INTO ledger (scope, spent_nano, reserved_nano) VALUES (?, ?, ?) ON CONFLICT(scope) DO UPDATE SET spent_nano = spent_nano + excluded.spent_nano, reserved_nano = reserved_nano + excluded.reserved_nano`,
    );
    this.insertCall = db.prepare(
      `INSERT INTO api_calls (cell_id, job_id, generator, purpose, tokens_in, tokens_out, cost_nano, latency_ms, attempts, outcome, error, worst_case, created_at)
       VALUES (@cellId, @jobId, @generator, @purpose, @tokensIn, @tokensOut, @costNano, @latencyMs, @attempts, @outcome, @error, @worstCase, @at)`,
    );
    this.addCellCost = db.prepare(
      `UPDATE cells SET cost_nano = cost_nano + ?, tokens_in = tokens_in + ?, tokens_out = tokens_out + ?, calls = calls + 1, retries = retries + ?, updated_at = ? WHERE id = ?`,
    );
    this.addOrphaned = db.prepare(`UPDATE ledger SET orphaned_nano = orphaned_nano + ? WHERE scope = ?`);
    this.getOrphaned = db.prepare<[string], { orphaned_nano: number }>(`SELECT orphaned_nano FROM ledger WHERE scope = ?`);
  }

  reserve(req: ReserveRequest): ReserveResult {
    return this.db.transaction(() => this.reserveOne(req)).immediate();
  }

  /**
   * Several reservations in one transaction (a worker starting a burst of requests), in
   * order, stopping at the first that does not fit: the results are as long as the prefix
   * that was tried.
   */
  reserveMany(reqs: readonly ReserveRequest[]): ReserveResult[] {
    return this.db
      .transaction(() => {
        const out: ReserveResult[] = [];
        for (const r of reqs) {
          const res = this.reserveOne(r);
          out.push(res);
          if (!res.ok) break;
        }
        return out;
      })
      .immediate();
  }

  private reserveOne(req: ReserveRequest): ReserveResult {
    return this.db
      .transaction((): ReserveResult => {
        const checks: Array<[string, number | null]> = [
          [RUN_SCOPE, Number(this.getRunCap.get()?.value ?? NaN)],
          [req.generator, this.getGenCap.get(req.generator)?.cap_nano ?? null],
        ];
        for (const [scope, cap] of checks) {
          if (cap === null || Number.isNaN(cap)) continue;
          const row = this.getScope.get(scope) ?? { spent_nano: 0, reserved_nano: 0 };
          if (row.spent_nano + req.amountNano > cap) return { ok: false, reason: 'exhausted', scope };
          if (row.spent_nano + row.reserved_nano + req.amountNano > cap) return { ok: false, reason: 'contended', scope };
        }
        const id = Number(this.insertReservation.run(req.generator, req.cellId, req.jobId, req.amountNano, Date.now()).lastInsertRowid);
        this.addReserved.run(RUN_SCOPE, req.amountNano);
        this.addReserved.run(req.generator, req.amountNano);
        return { ok: true, id };
      })
      .immediate();
  }

  /**
   * Replaces a reservation by the call's real cost and records the call. Runs inside the
   * caller's transaction when there is one, so a worker can settle and store the instance the
   * call produced atomically.
   */
  settle(reservationId: number, call: CallRecord): number {
    return this.db
      .transaction(() => {
        const r = this.getReservation.get(reservationId);
        if (!r) throw new Error(`reservation ${reservationId} is not open (settled twice?)`);
        this.deleteReservation.run(reservationId);
        this.addSpent.run(RUN_SCOPE, call.costNano, -r.amount_nano);
        this.addSpent.run(r.generator, call.costNano, -r.amount_nano);
        const worstCase = isWorstCaseCharge(call);
        const { worstCase: _flag, ...row } = call;
        const callId = Number(this.insertCall.run({ ...row, error: call.error ?? null, worstCase: worstCase ? 1 : 0, at: Date.now() }).lastInsertRowid);
        if (worstCase) {
          this.addOrphaned.run(call.costNano, RUN_SCOPE);
          this.addOrphaned.run(call.costNano, r.generator);
        }
        if (call.cellId !== null) {
          this.addCellCost.run(call.costNano, call.tokensIn, call.tokensOut, Math.max(0, call.attempts - 1), Date.now(), call.cellId);
        }
        return callId;
      })
      .immediate();
  }

  /**
   * Runs fn in one IMMEDIATE transaction, so a settle it makes commits atomically with the
   * caller's own writes (BudgetedCalls without a write batch).
   */
  inTransaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Reservations of processes that died mid-request. The provider may have billed the request
   * even though nobody read the answer, so they are charged at their reserved (worst-case)
   * amount and marked `orphaned`: the ledger over-states rather than under-states spending.
   */
  settleOrphans(jobIds: readonly number[]): number {
    if (jobIds.length === 0) return 0;
    return this.db
      .transaction(() => {
        let n = 0;
        const rows = this.db
          .prepare<unknown[], { id: number; generator: string; cell_id: number | null; job_id: number | null; amount_nano: number }>(
            `SELECT id, generator, cell_id, job_id, amount_nano FROM reservations WHERE job_id IN (${jobIds.map(() => '?').join(',')})`,
          )
          .all(...jobIds);
        for (const r of rows) {
          this.settle(r.id, {
            cellId: r.cell_id,
            jobId: r.job_id,
            generator: r.generator,
            purpose: 'orphaned',
            tokensIn: 0,
            tokensOut: 0,
            costNano: r.amount_nano,
            latencyMs: null,
            attempts: 1,
            outcome: 'orphaned',
            error: 'the process making this request died before it was answered; charged at its reserved worst case',
          });
          n++;
        }
        return n;
      })
      .immediate();
  }

  /** The part of `totals().spentNano` charged at worst case for requests that were cut off. */
  orphanedNano(scope: string = RUN_SCOPE): number {
    return this.getOrphaned.get(scope)?.orphaned_nano ?? 0;
  }

  totals(scope: string = RUN_SCOPE): { spentNano: number; reservedNano: number } {
    const row = this.getScope.get(scope) ?? { spent_nano: 0, reserved_nano: 0 };
    return { spentNano: row.spent_nano, reservedNano: row.reserved_nano };
  }
}
