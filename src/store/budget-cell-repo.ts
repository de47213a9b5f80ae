import type { Db } from './open-store.js';

/** What a fixed-budget cell reads of its main cell (same generator, the plain setting). */
export interface MainCellData {
  readonly cellId: number;
  readonly stage: string;
  readonly state: string;
  readonly accepted: number;
  /** The generator's own calls for the main cell, every attempt included, in nano-USD. */
  readonly generationNano: number;
}

export function mainCellData(db: Db, generator: string, setting: string): MainCellData | undefined {
  return db
    .prepare<[string, string], MainCellData>(
      `SELECT c.id AS cellId, c.stage, c.state, c.accepted,
              COALESCE((SELECT SUM(a.cost_nano) FROM api_calls a
                        WHERE a.cell_id = c.id AND a.generator = c.generator AND a.purpose NOT IN ('judge', 'metrics')), 0) AS generationNano
       FROM cells c WHERE c.generator = ? AND c.setting = ?`,
    )
    .get(generator, setting);
}

/** A fixed-budget cell's data is the prefix it was given: it holds that many instances, and that was its target. */
export function setBudgetCellCounts(db: Db, cellId: number, instances: number): void {
  db.prepare(`UPDATE cells SET accepted = ?, target = ?, updated_at = ? WHERE id = ?`).run(instances, instances, Date.now(), cellId);
}
