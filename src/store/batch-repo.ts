import type { NanoUsd } from '../core/cost.js';
import type { Db } from './open-store.js';

/**
 * `submitting`: stored, not yet acknowledged by the provider (a worker killed here may or may not
 * have sent it); `in-flight`: the provider holds it under `provider_batch_id`; `settled`: every
 * request's answer is in the ledger; `lost`: a batch left `submitting` by a dead worker, charged
 * at its worst case since it may have been sent; `failed`: the provider refused it.
 */
export type BatchState = 'submitting' | 'in-flight' | 'settled' | 'lost' | 'failed';

export interface BatchRow {
  readonly id: number;
  readonly cell_id: number;
  readonly seq: number;
  readonly provider_batch_id: string | null;
  readonly state: BatchState;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly provider_status: string | null;
  readonly error: string | null;
}

export interface BatchRequestRow {
  readonly custom_id: string;
  readonly reservation_id: number;
  readonly amount_nano: NanoUsd;
  readonly seed_index: number | null;
  /** The work item (prompt and what the parser compares with), as JSON. */
  readonly item_json: string;
}

export interface NewBatchRequest {
  readonly customId: string;
  readonly reservationId: number;
  readonly amountNano: NanoUsd;
  readonly seedIndex: number | null;
  readonly itemJson: string;
}

const OPEN = `state IN ('submitting', 'in-flight')`;

/**
 * Stores a batch before it is sent, in one transaction with its requests, and detaches their
 * reservations from the sending job: a batch outlives its worker, so a dead worker's orphan
 * charge (which goes by job) must not settle what the provider may still answer.
 */
export function insertBatch(db: Db, cellId: number, requests: readonly NewBatchRequest[]): BatchRow {
  return db
    .transaction(() => {
      const seq = (db.prepare<[number], { s: number | null }>(`SELECT MAX(seq) AS s FROM batches WHERE cell_id = ?`).get(cellId)?.s ?? 0) + 1;
      const now = Date.now();
      const id = Number(
        db
          .prepare(`INSERT INTO batches (cell_id, seq, state, total, created_at, updated_at) VALUES (?, ?, 'submitting', ?, ?, ?)`)
          .run(cellId, seq, requests.length, now, now).lastInsertRowid,
      );
      const insert = db.prepare(
        `INSERT INTO batch_requests (batch_id, custom_id, reservation_id, amount_nano, seed_index, item_json) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      const detach = db.prepare(`UPDATE reservations SET job_id = NULL WHERE id = ?`);
      for (const r of requests) {
        insert.run(id, r.customId, r.reservationId, r.amountNano, r.seedIndex, r.itemJson);
        detach.run(r.reservationId);
      }
      return getBatch(db, id);
    })
    .immediate();
}

export function getBatch(db: Db, id: number): BatchRow {
  const row = db.prepare<[number], BatchRow>(`SELECT * FROM batches WHERE id = ?`).get(id);
  if (!row) throw new Error(`batch ${id} not found`);
  return row;
}

/** The provider acknowledged the batch under this id: from now on it is polled, never sent again. */
export function markBatchSent(db: Db, id: number, providerBatchId: string): void {
  db.prepare(`UPDATE batches SET provider_batch_id = ?, state = 'in-flight', updated_at = ? WHERE id = ?`).run(providerBatchId, Date.now(), id);
}

export function setBatchProgress(db: Db, id: number, p: { done: number; failed: number; providerStatus: string }): void {
  db.prepare(`UPDATE batches SET done = ?, failed = ?, provider_status = ?, updated_at = ? WHERE id = ?`).run(
    p.done,
    p.failed,
    p.providerStatus,
    Date.now(),
    id,
  );
}

export function closeBatch(db: Db, id: number, state: Exclude<BatchState, 'submitting' | 'in-flight'>, error?: string): void {
  db.prepare(`UPDATE batches SET state = ?, error = ?, updated_at = ? WHERE id = ?`).run(state, error ?? null, Date.now(), id);
}

/** The cell's batches not yet settled, oldest first. */
export function openBatches(db: Db, cellId: number): BatchRow[] {
  return db.prepare<[number], BatchRow>(`SELECT * FROM batches WHERE cell_id = ? AND ${OPEN} ORDER BY id`).all(cellId);
}

/** How many batches the cell has had (for "batch 2/5"). */
export function countBatches(db: Db, cellId: number): number {
  return db.prepare<[number], { n: number }>(`SELECT COUNT(*) AS n FROM batches WHERE cell_id = ?`).get(cellId)?.n ?? 0;
}

/** A batch's requests whose answers are not settled yet. */
export function pendingBatchRequests(db: Db, batchId: number): BatchRequestRow[] {
  return db
    .prepare<[number], BatchRequestRow>(
      `SELECT custom_id, reservation_id, amount_nano, seed_index, item_json FROM batch_requests WHERE batch_id = ? AND item_json IS NOT NULL`,
    )
    .all(batchId);
}

/** Runs inside the settle's transaction: the answer is stored and the request closed at once. */
export function markBatchRequestSettled(db: Db, batchId: number, customId: string): void {
  db.prepare(`UPDATE batch_requests SET item_json = NULL WHERE batch_id = ? AND custom_id = ?`).run(batchId, customId);
}

/** Requests of the cell's open batches: their seed items are out at the provider, not to be asked again. */
export function openBatchSeedIndexes(db: Db, cellId: number): { readonly count: number; readonly seedIndexes: ReadonlySet<number> } {
  const rows = db
    .prepare<[number], { seed_index: number | null }>(
      `SELECT r.seed_index FROM batch_requests r JOIN batches b ON b.id = r.batch_id WHERE b.cell_id = ? AND b.${OPEN} AND r.item_json IS NOT NULL`,
    )
    .all(cellId);
  return { count: rows.length, seedIndexes: new Set(rows.flatMap((r) => (r.seed_index === null ? [] : [r.seed_index]))) };
}

/** Per cell with batches at the provider: how many, and their requests done of all (for `agora status`). */
export interface BatchesAtProvider {
  readonly batches: number;
  readonly done: number;
  readonly total: number;
}

export function batchesAtProvider(db: Db): Map<number, BatchesAtProvider> {
  // A run opened read-only is not migrated: one from before batches has none.
  if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'batches'`).get()) return new Map();
  const rows = db
    .prepare<[], { cell_id: number; batches: number; done: number; total: number }>(
      `SELECT cell_id, COUNT(*) AS batches, SUM(done) AS done, SUM(total) AS total FROM batches WHERE state = 'in-flight' GROUP BY cell_id`,
    )
    .all();
  return new Map(rows.map((r) => [r.cell_id, { batches: r.batches, done: r.done, total: r.total }]));
}
