import { transition, type CellEvent, type CellPosition, type CellState, type Stage } from '../core/cell-state.js';
import type { SettingId } from '../core/setting.js';
import type { Db } from './open-store.js';

export interface CellRow {
  id: number;
  generator: string;
  setting: SettingId;
  stage: Stage;
  state: CellState;
  target: number;
  accepted: number;
  rejected: number;
  /** Seed items given up after every attempt was rejected (response/quality). */
  dropped: number;
  cost_nano: number;
  gpu_cost_nano: number;
  tokens_in: number;
  tokens_out: number;
  calls: number;
  retries: number;
  error: string | null;
  progress_json: string | null;
  checkpoint: string | null;
  scores_json: string | null;
  updated_at: number;
}

export function getCell(db: Db, id: number): CellRow {
  const row = db.prepare<[number], CellRow>(`SELECT * FROM cells WHERE id = ?`).get(id);
  if (!row) throw new Error(`no cell ${id}`);
  return row;
}

export function findCell(db: Db, generator: string, setting: string): CellRow | undefined {
  return db.prepare<[string, string], CellRow>(`SELECT * FROM cells WHERE generator = ? AND setting = ?`).get(generator, setting);
}

export function listCells(db: Db): CellRow[] {
  return db.prepare<[], CellRow>(`SELECT * FROM cells ORDER BY id`).all();
}

export function addEvent(db: Db, cellId: number | null, kind: string, pos?: CellPosition, message?: string): void {
  db.prepare(`INSERT INTO events (cell_id, at, kind, stage, state, message) VALUES (?, ?, ?, ?, ?, ?)`).run(
    cellId,
    Date.now(),
    kind,
    pos?.stage ?? null,
    pos?.state ?? null,
    message ?? null,
  );
}

function messageOf(ev: CellEvent): string | undefined {
  if (ev.type === 'fail') return ev.error;
  if (ev.type === 'block') return ev.reason;
  return undefined;
}

/**
 * Applies one stage-machine event to a cell and records it in the timeline, atomically, so two
 * processes cannot both start the same cell. `expect` guards against acting on a stale read:
 * the event applies only if the cell is still where the caller saw it.
 */
export function applyCellEvent(db: Db, cellId: number, ev: CellEvent, expect?: Partial<CellPosition>): CellPosition | undefined {
  return db
    .transaction(() => {
      const row = getCell(db, cellId);
      if (expect?.stage && row.stage !== expect.stage) return undefined;
      if (expect?.state && row.state !== expect.state) return undefined;
      const next = transition({ stage: row.stage, state: row.state }, ev);
      const error = ev.type === 'fail' ? ev.error : ev.type === 'block' ? ev.reason : ev.type === 'budget-exhausted' ? 'budget cap reached' : null;
      db.prepare(`UPDATE cells SET stage = ?, state = ?, error = ?, updated_at = ? WHERE id = ?`).run(next.stage, next.state, error, Date.now(), cellId);
      addEvent(db, cellId, ev.type, next, messageOf(ev));
      return next;
    })
    .immediate();
}

export function setCellProgress(db: Db, cellId: number, progress: unknown): void {
  db.prepare(`UPDATE cells SET progress_json = ?, updated_at = ? WHERE id = ?`).run(JSON.stringify(progress), Date.now(), cellId);
}

/** Replaces a blocked cell's reason without a timeline event (the reason changed, not the state). */
export function setCellError(db: Db, cellId: number, error: string): void {
  db.prepare(`UPDATE cells SET error = ? WHERE id = ?`).run(error, cellId);
}

export function setCellCheckpoint(db: Db, cellId: number, checkpoint: string): void {
  db.prepare(`UPDATE cells SET checkpoint = ? WHERE id = ?`).run(checkpoint, cellId);
}

export function setCellScores(db: Db, cellId: number, scores: unknown): void {
  db.prepare(`UPDATE cells SET scores_json = ?, updated_at = ? WHERE id = ?`).run(JSON.stringify(scores), Date.now(), cellId);
}

/** The cell's progress without touching updated_at (the caller's transaction moves the cell itself). */
export function replaceCellProgress(db: Db, cellId: number, progress: unknown): void {
  db.prepare(`UPDATE cells SET progress_json = ? WHERE id = ?`).run(JSON.stringify(progress), cellId);
}

export function cellGenerator(db: Db, cellId: number): string | undefined {
  return db.prepare<[number], { generator: string }>(`SELECT generator FROM cells WHERE id = ?`).get(cellId)?.generator;
}

export function cellCounts(db: Db, cellId: number): { accepted: number; target: number; dropped: number } {
  return db.prepare<[number], { accepted: number; target: number; dropped: number }>(`SELECT accepted, target, dropped FROM cells WHERE id = ?`).get(cellId)!;
}

/** A training job's GPU cost so far, and the cell's total over all its jobs, in one step. */
export function chargeTrainGpu(db: Db, jobId: number, cellId: number, gpuNano: number): void {
  db.prepare(`UPDATE jobs SET gpu_cost_nano = ? WHERE id = ? AND state = 'running'`).run(gpuNano, jobId);
  db.prepare(`UPDATE cells SET gpu_cost_nano = (SELECT COALESCE(SUM(gpu_cost_nano), 0) FROM jobs WHERE cell_id = ?) WHERE id = ?`).run(cellId, cellId);
}

/** Failed cells whose latest job of their stage failed only because its process died (orphaned). */
export function orphanFailedCellIds(db: Db): number[] {
  return db
    .prepare<[], { id: number }>(
      `SELECT c.id FROM cells c WHERE c.state = 'failed' AND EXISTS (
         SELECT 1 FROM jobs j WHERE j.cell_id = c.id AND j.stage = c.stage AND j.state = 'failed' AND j.error LIKE '%(orphaned)%'
           AND j.id = (SELECT MAX(id) FROM jobs WHERE cell_id = c.id AND stage = c.stage))`,
    )
    .all()
    .map((r) => r.id);
}
