import type { Statement } from 'better-sqlite3';
import type { Db } from './open-store.js';

/** Calls already made for a cell (a restarted worker numbers its prompts after them). */
export function countCellCalls(db: Db, cellId: number): number {
  return db.prepare<[number], { n: number }>(`SELECT COUNT(*) AS n FROM api_calls WHERE cell_id = ?`).get(cellId)?.n ?? 0;
}

/**
 * Per cell, in nano-USD: generation cost (the generator's own calls) and judge cost. A call is
 * the judge's when its purpose says so (`judge`, or the metrics stage's `metrics`: its judge may
 * be the cell's own generator), or when it went to another generator than the cell's
 * (an orphaned judge call keeps its generator but loses its purpose).
 */
export function cellCallCostsNano(db: Db): Map<number, { generation: number; judge: number }> {
  const rows = db
    .prepare<[], { cell_id: number; generation: number | null; judge: number | null }>(
      `SELECT a.cell_id,
              SUM(CASE WHEN a.purpose NOT IN ('judge', 'metrics') AND a.generator = c.generator THEN a.cost_nano ELSE 0 END) AS generation,
              SUM(CASE WHEN a.purpose IN ('judge', 'metrics') OR a.generator <> c.generator THEN a.cost_nano ELSE 0 END) AS judge
       FROM api_calls a JOIN cells c ON c.id = a.cell_id GROUP BY a.cell_id`,
    )
    .all();
  return new Map(rows.map((r) => [r.cell_id, { generation: r.generation ?? 0, judge: r.judge ?? 0 }]));
}

/** What judging the baselines cost (judge calls that belong to no cell), in nano-USD. */
export function baselineJudgeCostNano(db: Db): number {
  return db.prepare<[], { s: number | null }>(`SELECT SUM(cost_nano) AS s FROM api_calls WHERE cell_id IS NULL AND purpose = 'judge'`).get()?.s ?? 0;
}

type SinceRow = { cell_id: number | null; generation: number | null; judge: number | null; last_id: number };
type ReservationRow = { generator: string | null; kind: 'generation' | 'judge' | 'baselines'; amount: number };

/** The dashboard polls these every second: prepared once per connection. */
const statements = new WeakMap<Db, { since: Statement<[number], SinceRow>; reservations: Statement<[], ReservationRow> }>();

function polled(db: Db) {
  let s = statements.get(db);
  if (!s) {
    s = {
      since: db.prepare<[number], SinceRow>(
        `SELECT a.cell_id,
                SUM(CASE WHEN a.cell_id IS NOT NULL AND a.purpose NOT IN ('judge', 'metrics') AND a.generator = c.generator THEN a.cost_nano ELSE 0 END) AS generation,
                SUM(CASE WHEN a.cell_id IS NULL OR a.purpose IN ('judge', 'metrics') OR a.generator <> c.generator THEN a.cost_nano ELSE 0 END) AS judge,
                MAX(a.id) AS last_id
         FROM api_calls a NOT INDEXED LEFT JOIN cells c ON c.id = a.cell_id WHERE a.id > ? GROUP BY a.cell_id`,
      ),
      reservations: db.prepare<[], ReservationRow>(
        `SELECT c.generator,
                CASE WHEN r.cell_id IS NULL THEN 'baselines' WHEN COALESCE(j.stage, 'generate') = 'generate' AND r.generator = c.generator THEN 'generation' ELSE 'judge' END AS kind,
                SUM(r.amount_nano) AS amount
         FROM reservations r LEFT JOIN cells c ON c.id = r.cell_id LEFT JOIN jobs j ON j.id = r.job_id GROUP BY 1, 2`,
      ),
    };
    statements.set(db, s);
  }
  return s;
}

/** Costs of the calls recorded after `afterId`, split as cellCallCostsNano splits them, in nano-USD. */
export interface CallCostsSince {
  readonly byCell: ReadonlyMap<number, { readonly generation: number; readonly judge: number }>;
  /** Calls that belong to no cell (the baselines' judging, a cut-off one included). */
  readonly noCell: number;
  /** The newest call read; pass it back next time. */
  readonly lastId: number;
}

/**
 * The split of cellCallCostsNano for calls newer than `afterId` only: calls are never deleted
 * and their ids grow in commit order, so a poller that keeps running sums reads each call
 * once, and its poll stays O(new calls) instead of O(all calls). NOT INDEXED: with the
 * index by cell, SQLite would scan every call to group them rather than seek past `afterId`.
 */
export function callCostsSince(db: Db, afterId: number): CallCostsSince {
  const rows = polled(db).since.all(afterId);
  const byCell = new Map<number, { generation: number; judge: number }>();
  let noCell = 0;
  let lastId = afterId;
  for (const r of rows) {
    lastId = Math.max(lastId, r.last_id);
    if (r.cell_id === null) noCell += r.judge ?? 0;
    else byCell.set(r.cell_id, { generation: r.generation ?? 0, judge: r.judge ?? 0 });
  }
  return { byCell, noCell, lastId };
}

/** Open reservations by what they hold money for, in nano-USD: a cell's generation, a cell's judging, the baselines'. */
export function openReservationsNano(db: Db): { generationByGenerator: Map<string, number>; judgeCells: number; baselines: number } {
  const rows = polled(db).reservations.all();
  const out = { generationByGenerator: new Map<string, number>(), judgeCells: 0, baselines: 0 };
  for (const r of rows) {
    if (r.kind === 'generation' && r.generator !== null)
      out.generationByGenerator.set(r.generator, (out.generationByGenerator.get(r.generator) ?? 0) + r.amount);
    else if (r.kind === 'baselines') out.baselines += r.amount;
    else out.judgeCells += r.amount;
  }
  return out;
}
