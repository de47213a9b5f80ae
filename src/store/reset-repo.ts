import type { Stage } from '../core/cell-state.js';
import { openBatches } from './batch-repo.js';
import { addEvent, getCell } from './cell-repo.js';
import { runningJobOfCell } from './job-repo.js';
import { MetricRepo } from './metric-repo.js';
import type { Db } from './open-store.js';

export type ResettableStage = Extract<Stage, 'generate' | 'train' | 'evaluate' | 'metrics'>;
export const RESETTABLE_STAGES: readonly ResettableStage[] = ['generate', 'train', 'evaluate', 'metrics'];

/** A reset that cannot happen now (a job of the cell is running, or a batch of it is at the provider). */
export class ResetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResetRefusedError';
  }
}

/**
 * Redoes a cell from `stage` on: clears that stage's and every later stage's results (generated
 * instances and rejections and their intrinsic metrics, the trained checkpoint, evaluation
 * outputs, verdicts and scores; `metrics`: only the intrinsic metrics, scores kept) and
 * leaves the cell pending at `stage`. What was spent stays: api_calls, the ledger and the cell's
 * cost columns are history, not results. One transaction: the cell is reset whole or not at all.
 */
export function resetCellStage(db: Db, cellId: number, stage: ResettableStage): void {
  db.transaction(() => {
    const cell = getCell(db, cellId);
    const job = runningJobOfCell(db, cellId);
    if (job)
      throw new ResetRefusedError(
        `${cell.generator} ${cell.setting} has a running ${job.stage} job (job ${job.id}); stop it first (x in the dashboard, or \`agora stop\`)`,
      );
    // A batch at the provider is paid for and answers into this cell's generation: reset now,
    // and its answers would land in the redone cell as if they were new.
    const batches = openBatches(db, cellId);
    if (batches.length > 0) {
      throw new ResetRefusedError(
        `${cell.generator} ${cell.setting} has ${batches.length === 1 ? 'a batch' : `${batches.length} batches`} at the provider (reserved, and answering into this generation); retry the cell so generation collects ${batches.length === 1 ? 'it' : 'them'}, then reset`,
      );
    }
    const subject = `cell:${cellId}`;
    // The intrinsic metrics measure the generated data: redone with it, or on their own. Training
    // and evaluation leave them be (they read nothing of those stages).
    if (stage === 'generate' || stage === 'metrics') new MetricRepo(db).deleteCell(cellId);
    if (stage === 'metrics') {
      // Only a cell that got there: putting an earlier one at metrics would skip its other stages.
      if (cell.stage !== 'metrics')
        throw new ResetRefusedError(`${cell.generator} ${cell.setting} has not reached the metrics stage (it is at ${cell.stage} ${cell.state})`);
      db.prepare(`UPDATE cells SET stage = 'metrics', state = 'pending', error = NULL, progress_json = NULL, updated_at = ? WHERE id = ?`).run(
        Date.now(),
        cellId,
      );
      addEvent(db, cellId, 'reset', { stage, state: 'pending' }, `reset to ${stage} (was ${cell.stage} ${cell.state}); past costs kept`);
      return;
    }
    if (stage === 'generate') {
      for (const table of ['instances', 'rejections', 'rejection_counts']) db.prepare(`DELETE FROM ${table} WHERE cell_id = ?`).run(cellId);
      db.prepare(`UPDATE cells SET accepted = 0, rejected = 0 WHERE id = ?`).run(cellId);
      // Dropped seed items (schema v4) are settled rejections of this generation: redone too.
      if (db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'dropped_items'`).get()) {
        db.prepare(`DELETE FROM dropped_items WHERE cell_id = ?`).run(cellId);
        db.prepare(`UPDATE cells SET dropped = 0 WHERE id = ?`).run(cellId);
      }
    }
    if (stage === 'generate' || stage === 'train') db.prepare(`UPDATE cells SET checkpoint = NULL WHERE id = ?`).run(cellId);
    db.prepare(`DELETE FROM eval_items WHERE subject = ?`).run(subject);
    db.prepare(`DELETE FROM benchmark_scores WHERE subject = ?`).run(subject);
    db.prepare(`DELETE FROM run_meta WHERE key = ?`).run(`eval_identity:${subject}`);
    db.prepare(`UPDATE cells SET stage = ?, state = 'pending', error = NULL, progress_json = NULL, scores_json = NULL, updated_at = ? WHERE id = ?`).run(
      stage,
      Date.now(),
      cellId,
    );
    addEvent(db, cellId, 'reset', { stage, state: 'pending' }, `reset to ${stage} (was ${cell.stage} ${cell.state}); past costs kept`);
  }).immediate();
}
