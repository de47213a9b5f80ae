import type { Db } from './open-store.js';

export type AcceptOutcome = 'accepted' | 'duplicate' | 'full' | 'seed-done';

export interface NewInstance {
  readonly cellId: number;
  readonly instruction: string;
  readonly response: string;
  readonly instructionKey: string;
  readonly seedIndex: number | null;
  readonly callId: number | null;
}

export interface NewRejection {
  readonly cellId: number;
  readonly reason: string;
  readonly detail?: string;
  readonly raw?: string;
  readonly seedIndex: number | null;
  readonly callId: number | null;
}

export interface InstanceRow {
  seq: number;
  instruction: string;
  response: string;
  seed_index: number | null;
}

/**
 * Accepted and rejected instances. `accept` is where "exactly N" is enforced: it refuses once
 * the cell holds its target, and refuses exact-duplicate instructions, inside the caller's
 * write transaction, so concurrent requests and restarted workers can never overshoot.
 */
export class InstanceRepo {
  private readonly cellCounts;
  private readonly keyExists;
  private readonly seedExists;
  private readonly insert;
  private readonly bumpAccepted;
  private readonly insertRejection;
  private readonly bumpRejected;
  private readonly bumpReason;
  private readonly recentRows;
  private readonly maxSeq;
  private readonly rowFrom;

  constructor(private readonly db: Db) {
    this.cellCounts = db.prepare<[number], { accepted: number; target: number }>(`SELECT accepted, target FROM cells WHERE id = ?`);
    this.keyExists = db.prepare<[number, string], { one: number }>(`SELECT 1 AS one FROM instances WHERE cell_id = ? AND instruction_key = ?`);
    this.seedExists = db.prepare<[number, number], { one: number }>(`SELECT 1 AS one FROM instances WHERE cell_id = ? AND seed_index = ?`);
    this.insert = db.prepare(
      `INSERT INTO instances (cell_id, seq, instruction, response, instruction_key, seed_index, call_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.bumpAccepted = db.prepare(`UPDATE cells SET accepted = accepted + 1, updated_at = ? WHERE id = ?`);
    this.insertRejection = db.prepare(`INSERT INTO rejections (cell_id, reason, detail, raw, seed_index, call_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.bumpRejected = db.prepare(`UPDATE cells SET rejected = rejected + 1, updated_at = ? WHERE id = ?`);
    this.recentRows = db.prepare<[number, number], InstanceRow>(
      `SELECT seq, instruction, response, seed_index FROM instances WHERE cell_id = ? ORDER BY seq DESC LIMIT ?`,
    );
    this.maxSeq = db.prepare<[number], { n: number | null }>(`SELECT MAX(seq) AS n FROM instances WHERE cell_id = ?`);
    this.rowFrom = db.prepare<[number, number], InstanceRow>(
      `SELECT seq, instruction, response, seed_index FROM instances WHERE cell_id = ? AND seq >= ? ORDER BY seq LIMIT 1`,
    );
    this.bumpReason = db.prepare(`INSERT INTO rejection_counts (cell_id, reason, n) VALUES (?, ?, 1) ON CONFLICT(cell_id, reason) DO UPDATE SET n = n + 1`);
  }

  /** Call inside a write transaction. */
  accept(i: NewInstance): AcceptOutcome {
    const c = this.cellCounts.get(i.cellId);
    if (!c) throw new Error(`no cell ${i.cellId}`);
    if (c.accepted >= c.target) return 'full';
    if (i.seedIndex !== null && this.seedExists.get(i.cellId, i.seedIndex)) return 'seed-done';
    if (this.keyExists.get(i.cellId, i.instructionKey)) return 'duplicate';
    const t = Date.now();
    this.insert.run(i.cellId, c.accepted + 1, i.instruction, i.response, i.instructionKey, i.seedIndex, i.callId, t);
    this.bumpAccepted.run(t, i.cellId);
    return 'accepted';
  }

  reject(r: NewRejection): void {
    const t = Date.now();
    this.insertRejection.run(r.cellId, r.reason, r.detail ?? null, r.raw ?? null, r.seedIndex, r.callId, t);
    this.bumpRejected.run(t, r.cellId);
    this.bumpReason.run(r.cellId, r.reason);
  }

  /** The seed items already turned into instances (response/quality), for resuming. */
  doneSeedIndexes(cellId: number): Set<number> {
    const rows = this.db.prepare<[number], { seed_index: number }>(`SELECT seed_index FROM instances WHERE cell_id = ? AND seed_index IS NOT NULL`).all(cellId);
    return new Set(rows.map((r) => r.seed_index));
  }

  /** Attempts already spent per seed item, so a restart does not grant an item fresh attempts. */
  rejectedSeedAttempts(cellId: number): Map<number, number> {
    const rows = this.db
      .prepare<[number], { seed_index: number; n: number }>(
        `SELECT seed_index, COUNT(*) AS n FROM rejections WHERE cell_id = ? AND seed_index IS NOT NULL GROUP BY seed_index`,
      )
      .all(cellId);
    return new Map(rows.map((r) => [r.seed_index, r.n]));
  }

  /**
   * Records that a seed item is given up (every attempt refused). Counted once however often
   * it is called, so a drop that a killed worker had already written is not counted again;
   * an item that has an instance is never dropped. Call inside a write transaction.
   */
  drop(cellId: number, seedIndex: number, attempts: number): boolean {
    const t = Date.now();
    const added = this.db
      .prepare(
        `INSERT OR IGNORE INTO dropped_items (cell_id, seed_index, attempts, created_at)
         SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM instances WHERE cell_id = ? AND seed_index = ?)`,
      )
      .run(cellId, seedIndex, attempts, t, cellId, seedIndex).changes;
    if (added) this.db.prepare(`UPDATE cells SET dropped = dropped + 1, updated_at = ? WHERE id = ?`).run(t, cellId);
    return added > 0;
  }

  /**
   * Settles what a worker left unrecorded when it was killed between an item's last rejection
   * and its drop: every unanswered item with `attemptsPerItem` stored rejections is dropped.
   * Returns the cell's dropped items; they are never asked again, not even after a retry.
   */
  settleDrops(cellId: number, attemptsPerItem: number): Set<number> {
    this.db
      .transaction(() => {
        const due = this.db
          .prepare<[number, number], { seed_index: number; n: number }>(
            `SELECT r.seed_index, COUNT(*) AS n FROM rejections r
             WHERE r.cell_id = ? AND r.seed_index IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.cell_id = r.cell_id AND i.seed_index = r.seed_index)
             GROUP BY r.seed_index HAVING COUNT(*) >= ?`,
          )
          .all(cellId, attemptsPerItem);
        for (const d of due) this.drop(cellId, d.seed_index, d.n);
      })
      .immediate();
    const rows = this.db.prepare<[number], { seed_index: number }>(`SELECT seed_index FROM dropped_items WHERE cell_id = ?`).all(cellId);
    return new Set(rows.map((r) => r.seed_index));
  }

  instructionKeys(cellId: number): Set<string> {
    const rows = this.db.prepare<[number], { instruction_key: string }>(`SELECT instruction_key FROM instances WHERE cell_id = ?`).all(cellId);
    return new Set(rows.map((r) => r.instruction_key));
  }

  /** A few recent accepted instances, for instance generation's third demo. */
  recent(cellId: number, limit: number): InstanceRow[] {
    return this.recentRows.all(cellId, limit);
  }

  /**
   * One accepted instance drawn uniformly over all of the cell's (the paper's third demo comes
   * from everything generated so far): seqs run 1..accepted without gaps, so a random seq
   * picks one through the (cell_id, seq) index, without reading the cell's instances.
   */
  sampleAccepted(cellId: number, rng: () => number): InstanceRow | undefined {
    const max = this.maxSeq.get(cellId)?.n ?? 0;
    if (max <= 0) return undefined;
    const seq = 1 + Math.min(max - 1, Math.floor(rng() * max));
    return this.rowFrom.get(cellId, seq);
  }

  /** Streams a cell's instances in order without loading them all (cells hold 10,000+); the first `limit` when given. */
  *iterate(cellId: number, limit = -1): IterableIterator<InstanceRow> {
    yield* this.db
      .prepare<[number, number], InstanceRow>(`SELECT seq, instruction, response, seed_index FROM instances WHERE cell_id = ? ORDER BY seq LIMIT ?`)
      .iterate(cellId, limit);
  }
}
