import type { Stage } from '../core/cell-state.js';
import type { Db } from './open-store.js';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled' | 'budget-exhausted';

export interface JobRow {
  id: number;
  cell_id: number;
  stage: Stage;
  attempt: number;
  state: JobState;
  runner: string;
  pid: number | null;
  handle_json: string | null;
  concurrency: number | null;
  cancel_requested: number;
  started_at: number;
  heartbeat_at: number | null;
  ended_at: number | null;
  error: string | null;
  gpu_cost_nano: number;
}

export function createJob(db: Db, cellId: number, stage: Stage, runner: string, concurrency: number | null): JobRow {
  return db
    .transaction(() => {
      const prev = db.prepare<[number, string], { n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE cell_id = ? AND stage = ?`).get(cellId, stage);
      const t = Date.now();
      const id = Number(
        db
          .prepare(`INSERT INTO jobs (cell_id, stage, attempt, state, runner, concurrency, started_at, heartbeat_at) VALUES (?, ?, ?, 'running', ?, ?, ?, ?)`)
          .run(cellId, stage, (prev?.n ?? 0) + 1, runner, concurrency, t, t).lastInsertRowid,
      );
      return getJob(db, id);
    })
    .immediate();
}

export function getJob(db: Db, id: number): JobRow {
  const row = db.prepare<[number], JobRow>(`SELECT * FROM jobs WHERE id = ?`).get(id);
  if (!row) throw new Error(`no job ${id}`);
  return row;
}

export function runningJobs(db: Db): JobRow[] {
  return db.prepare<[], JobRow>(`SELECT * FROM jobs WHERE state = 'running' ORDER BY id`).all();
}

export function runningJobOfCell(db: Db, cellId: number): JobRow | undefined {
  return db.prepare<[number], JobRow>(`SELECT * FROM jobs WHERE cell_id = ? AND state = 'running' ORDER BY id DESC LIMIT 1`).get(cellId);
}

export function setJobPid(db: Db, id: number, pid: number, handle?: unknown): void {
  db.prepare(`UPDATE jobs SET pid = ?, handle_json = ? WHERE id = ?`).run(pid, handle === undefined ? null : JSON.stringify(handle), id);
}

export function setJobHandle(db: Db, id: number, handle: unknown): void {
  db.prepare(`UPDATE jobs SET handle_json = ? WHERE id = ?`).run(JSON.stringify(handle), id);
}

export function heartbeat(db: Db, id: number): JobRow {
  db.prepare(`UPDATE jobs SET heartbeat_at = ? WHERE id = ?`).run(Date.now(), id);
  return getJob(db, id);
}

/** Ends a job once; a second end (a worker and the conductor racing) changes nothing. */
export function endJob(db: Db, id: number, state: Exclude<JobState, 'running'>, error?: string): boolean {
  const r = db.prepare(`UPDATE jobs SET state = ?, ended_at = ?, error = ? WHERE id = ? AND state = 'running'`).run(state, Date.now(), error ?? null, id);
  return r.changes === 1;
}

export function requestCancel(db: Db, id: number): void {
  db.prepare(`UPDATE jobs SET cancel_requested = 1 WHERE id = ?`).run(id);
}

export function setJobConcurrency(db: Db, id: number, n: number): void {
  db.prepare(`UPDATE jobs SET concurrency = ? WHERE id = ? AND (concurrency IS NULL OR concurrency <> ?)`).run(n, id, n);
}

/** The handles of the running training jobs (they record the devices each was given). */
export function runningTrainHandles(db: Db): Array<string | null> {
  return db
    .prepare<[], { handle_json: string | null }>(`SELECT handle_json FROM jobs WHERE stage = 'train' AND state = 'running'`)
    .all()
    .map((r) => r.handle_json);
}

/** Jobs that hold a served model on a GPU: evaluations, score jobs that evaluate baselines, metrics jobs that serve a checkpoint. */
export function countRunningServerJobs(db: Db): number {
  return (
    db
      .prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE state = 'running' AND stage IN ('evaluate', 'score', 'metrics') AND runner = 'process'`)
      .get()?.n ?? 0
  );
}

/** Running score jobs started before this one, with their cells' settings. */
export function earlierRunningScoreJobs(db: Db, jobId: number): Array<{ id: number; setting: string }> {
  return db
    .prepare<[number], { id: number; setting: string }>(
      `SELECT j.id, c.setting FROM jobs j JOIN cells c ON c.id = j.cell_id WHERE j.stage = 'score' AND j.state = 'running' AND j.id < ?`,
    )
    .all(jobId);
}

/** Running score jobs of other cells, with their cells (a score job of the same domain evaluates the same baselines). */
export function otherRunningScoreJobs(db: Db, cellId: number): Array<{ id: number; generator: string; setting: string }> {
  return db
    .prepare<[number], { id: number; generator: string; setting: string }>(
      `SELECT j.id, c.generator, c.setting FROM jobs j JOIN cells c ON c.id = j.cell_id WHERE j.stage = 'score' AND j.state = 'running' AND j.cell_id <> ?`,
    )
    .all(cellId);
}
