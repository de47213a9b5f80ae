import { isRetryable, nextStage, type Stage } from '../core/cell-state.js';
import { BudgetLedger } from '../store/budget-ledger.js';
import { applyCellEvent, getCell, listCells, type CellRow } from '../store/cell-repo.js';
import { endJob, runningJobOfCell, runningJobs, type JobRow } from '../store/job-repo.js';
import type { Db } from '../store/open-store.js';
import { readMeta, writeMeta } from '../store/run-repo.js';
import type { StageDriver } from './stage-driver.js';

export interface ConductorOptions {
  /** The stages this conductor runs; cells stop `done` at the last one. */
  readonly stages: readonly Stage[];
  readonly drivers: readonly StageDriver[];
  readonly log?: (line: string) => void;
  /**
   * Re-reads the budget caps from the config file, so that raising a cap there while the
   * dashboard runs lets `r` continue a budget-exhausted cell without a restart.
   */
  readonly reloadBudget?: () => void;
}

/**
 * Decides what runs next. Each tick: notices dead jobs, advances finished stages, blocks and
 * unblocks cells, and launches pending cells within each stage's limits. All its state is in
 * the store, so a conductor that is killed and restarted picks up where the last one was.
 */
export class Conductor {
  private readonly drivers: Map<Stage, StageDriver>;
  private readonly ledger: BudgetLedger;
  private ticking = false;

  constructor(private readonly db: Db, private readonly opts: ConductorOptions) {
    this.drivers = new Map(opts.drivers.map((d) => [d.stage, d]));
    this.ledger = new BudgetLedger(db);
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.reap();
      this.advanceAndBlock();
      if (!this.paused) await this.launch();
      const running = runningJobs(this.db);
      for (const d of this.drivers.values()) d.rebalance?.(running.filter((j) => j.stage === d.stage));
    } finally {
      this.ticking = false;
    }
  }

  /** True when nothing in the selected stages is running or waiting to run. */
  isSettled(): boolean {
    if (runningJobs(this.db).length > 0) return false;
    return listCells(this.db).every((c) => !(this.opts.stages.includes(c.stage) && c.state === 'pending') && !this.canAdvance(c));
  }

  get paused(): boolean {
    return readMeta(this.db, 'paused') === '1';
  }

  setPaused(paused: boolean): void {
    writeMeta(this.db, 'paused', paused ? '1' : '0');
  }

  retry(cellId: number): boolean {
    const cell = getCell(this.db, cellId);
    if (runningJobOfCell(this.db, cellId)) return false;
    if (!isRetryable(cell.state)) return false;
    if (cell.state === 'budget-exhausted') this.opts.reloadBudget?.();
    return applyCellEvent(this.db, cellId, { type: 'retry' }, { stage: cell.stage, state: cell.state }) !== undefined;
  }

  /**
   * Cells that failed only because their process died (a crash, kill -9, a reboot) are not a
   * verdict on the cell: a new conductor resumes them. Other failures wait for `r`.
   */
  resumeOrphaned(): number {
    const rows = this.db
      .prepare<[], { id: number }>(
        `SELECT c.id FROM cells c WHERE c.state = 'failed' AND EXISTS (
           SELECT 1 FROM jobs j WHERE j.cell_id = c.id AND j.stage = c.stage AND j.state = 'failed' AND j.error LIKE '%(orphaned)%'
             AND j.id = (SELECT MAX(id) FROM jobs WHERE cell_id = c.id AND stage = c.stage))`,
      )
      .all();
    return rows.filter((r) => this.retry(r.id)).length;
  }

  retryAllFailed(): number {
    return listCells(this.db).filter((c) => c.state === 'failed' && this.retry(c.id)).length;
  }

  async cancel(cellId: number): Promise<boolean> {
    const job = runningJobOfCell(this.db, cellId);
    if (!job) {
      const cell = getCell(this.db, cellId);
      if (cell.state !== 'pending') return false;
      return applyCellEvent(this.db, cellId, { type: 'cancel' }, { state: 'pending' }) !== undefined;
    }
    await this.drivers.get(job.stage)?.cancel(job);
    return true;
  }

  private canAdvance(c: CellRow): boolean {
    const next = nextStage(c.stage);
    return c.state === 'done' && next !== undefined && this.opts.stages.includes(next) && this.drivers.has(next);
  }

  private async reap(): Promise<void> {
    for (const job of runningJobs(this.db)) {
      const driver = this.drivers.get(job.stage);
      if (!driver) continue;
      const r = await driver.poll(job);
      if (r === 'running' || r === 'ended') continue;
      this.orphan(job, r.orphaned);
    }
  }

  private orphan(job: JobRow, why: string): void {
    this.db.transaction(() => {
      if (!endJob(this.db, job.id, 'failed', why)) return;
      const charged = this.ledger.settleOrphans([job.id]);
      applyCellEvent(this.db, job.cell_id, { type: 'fail', error: why }, { stage: job.stage, state: 'running' });
      this.log(`job ${job.id} of cell ${job.cell_id}: ${why}${charged ? `; ${charged} open requests charged at their reservation` : ''}`);
    }).immediate();
  }

  private advanceAndBlock(): void {
    for (const c of listCells(this.db)) {
      if (this.canAdvance(c)) applyCellEvent(this.db, c.id, { type: 'advance' }, { stage: c.stage, state: 'done' });
    }
    for (const c of listCells(this.db)) {
      const driver = this.drivers.get(c.stage);
      if (!driver || !this.opts.stages.includes(c.stage)) continue;
      const reason = c.state === 'pending' || c.state === 'blocked' ? driver.blockedReason(c) : undefined;
      if (c.state === 'pending' && reason) applyCellEvent(this.db, c.id, { type: 'block', reason }, { state: 'pending' });
      else if (c.state === 'blocked' && !reason) applyCellEvent(this.db, c.id, { type: 'unblock' }, { state: 'blocked' });
      else if (c.state === 'blocked' && reason && reason !== c.error) {
        this.db.prepare(`UPDATE cells SET error = ? WHERE id = ?`).run(reason, c.id);
      }
    }
  }

  private async launch(): Promise<void> {
    const pending = listCells(this.db).filter((c) => c.state === 'pending' && this.opts.stages.includes(c.stage));
    // Round-robin over generators, so one generator's cells do not take every worker slot.
    const order = interleaveBy(pending, (c) => c.generator);
    for (const cell of order) {
      const driver = this.drivers.get(cell.stage);
      if (!driver) continue;
      const running = runningJobs(this.db).filter((j) => j.stage === cell.stage);
      if (driver.capacity(running) <= 0) continue;
      if (!applyCellEvent(this.db, cell.id, { type: 'start' }, { stage: cell.stage, state: 'pending' })) continue;
      try {
        await driver.launch(getCell(this.db, cell.id));
        this.log(`started ${cell.stage} for ${cell.generator} ${cell.setting}`);
      } catch (e) {
        applyCellEvent(this.db, cell.id, { type: 'fail', error: `could not start: ${(e as Error).message}` }, { state: 'running' });
      }
    }
  }
}

function interleaveBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const it of items) groups.set(key(it), [...(groups.get(key(it)) ?? []), it]);
  const out: T[] = [];
  const lists = [...groups.values()];
  for (let i = 0; out.length < items.length; i++) for (const l of lists) if (l[i] !== undefined) out.push(l[i]!);
  return out;
}
