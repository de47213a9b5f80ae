import type { Db } from './open-store.js';

/** Calls already made for a cell (a restarted worker numbers its prompts after them). */
export function countCellCalls(db: Db, cellId: number): number {
  return db.prepare<[number], { n: number }>(`SELECT COUNT(*) AS n FROM api_calls WHERE cell_id = ?`).get(cellId)?.n ?? 0;
}

/**
 * Per cell, in nano-USD: generation cost (the generator's own calls) and judge cost. A call is
 * the judge's when its purpose says so, or when it went to another generator than the cell's
 * (an orphaned judge call keeps its generator but loses its purpose).
 */
export function cellCallCostsNano(db: Db): Map<number, { generation: number; judge: number }> {
  const rows = db
    .prepare<[], { cell_id: number; generation: number | null; judge: number | null }>(
      `SELECT a.cell_id,
              SUM(CASE WHEN a.purpose <> 'judge' AND a.generator = c.generator THEN a.cost_nano ELSE 0 END) AS generation,
              SUM(CASE WHEN a.purpose = 'judge' OR a.generator <> c.generator THEN a.cost_nano ELSE 0 END) AS judge
       FROM api_calls a JOIN cells c ON c.id = a.cell_id GROUP BY a.cell_id`,
    )
    .all();
  return new Map(rows.map((r) => [r.cell_id, { generation: r.generation ?? 0, judge: r.judge ?? 0 }]));
}

/** What judging the baselines cost (judge calls that belong to no cell), in nano-USD. */
export function baselineJudgeCostNano(db: Db): number {
  return db.prepare<[], { s: number | null }>(`SELECT SUM(cost_nano) AS s FROM api_calls WHERE cell_id IS NULL AND purpose = 'judge'`).get()?.s ?? 0;
}
