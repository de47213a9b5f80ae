import { advanceTarget, isRetryable, type Stage } from '../core/cell-state.js';
import { BudgetLedger } from '../store/budget-ledger.js';
import { applyCellEvent, getCell, listCells, orphanFailedCellIds, setCellError, type CellRow } from '../store/cell-repo.js';
import { endJob, getJob, requestCancel, runningJobOfCell, runningJobs, type JobRow } from '../store/job-repo.js';
import { writeTransaction, type Db } from '../store/open-store.js';
import { deleteMeta, readMeta, readStopMark, writeMeta, writeStopMark } from '../store/run-repo.js';
import type { StageDriver } from './stage-driver.js';

export interface ConductorOptions {
  /** The stages this conductor runs; cells stop `done` at the last one. */
  readonly stages: readonly Stage[];
  readonly drivers: readonly StageDriver[];
  readonly log?: (line: string) => void;
  /**
   * Re-reads the config file before a retry, so that a retried cell runs with the config as
   * it is on disk now (a raised cap, a new judge, a fixed data file); when the file cannot be
   * used, it says why in the run's notice and the retry goes on with the config in use.
   */
  readonly reloadConfig?: () => Promise<void>;
  /** The run's conductor lock: checked on every tick; losing it makes this conductor step down. */
  readonly lock?: { refresh(): boolean; currentHolderPid(): number | undefined };
  /** Told once when another process took the lock over and this conductor stepped down. */
  readonly onLostLock?: (why: string) => void;
}

/**
 * Decides what runs next. Each tick: notices dead jobs, advances finished stages, blocks and
 * unblocks cells, and launches pending cells within each stage's limits. All its state is in
 * the store, so a conductor that is killed and restarted picks up where the last one was.
 */
export class Conductor {
  private drivers: Map<Stage, StageDriver>;
  private readonly ledger: BudgetLedger;
  private current: Promise<void> | undefined;
  private closed = false;
  private lostLock = false;

  constructor(
    private readonly db: Db,
    private readonly opts: ConductorOptions,
  ) {
    this.drivers = new Map(opts.drivers.map((d) => [d.stage, d]));
    this.ledger = new BudgetLedger(db);
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  /** The drivers built from a reloaded config replace the old ones from the next tick on. */
  setDrivers(drivers: readonly StageDriver[]): void {
    this.drivers = new Map(drivers.map((d) => [d.stage, d]));
  }

  /**
   * One pass. A tick asked for while one is in flight joins it (the dashboard's timer and an
   * action can overlap); after shutdown, or once this conductor stepped down, it does nothing.
   */
  tick(): Promise<void> {
    if (this.closed || this.lostLock) return Promise.resolve();
    this.current ??= this.runTick().finally(() => (this.current = undefined));
    return this.current;
  }

  private async runTick(): Promise<void> {
    if (!this.checkLock()) return;
    await this.reap();
    if (this.closed) return;
    this.advanceAndBlock();
    if (!this.paused && !this.stoppedReason) await this.launch();
    if (this.closed) return;
    const running = runningJobs(this.db);
    for (const d of this.drivers.values()) d.rebalance?.(running.filter((j) => j.stage === d.stage));
  }

  /**
   * Ends conducting: no new tick starts, and the one in flight is awaited (its driver may be
   * between a runner's answer and the store write), so the caller can close the store next.
   */
  async shutdown(): Promise<void> {
    this.closed = true;
    await this.current;
  }

  /** True once another process took this run's lock over: this conductor no longer acts. */
  get steppedDown(): boolean {
    return this.lostLock;
  }

  /**
   * Keeps the lock fresh; false (and stepping down, once) when another conductor holds it now,
   * as happens to one that stalled past the heartbeat limit and was taken over.
   */
  checkLock(): boolean {
    if (this.lostLock || this.closed) return false;
    if (!this.opts.lock || this.opts.lock.refresh()) return true;
    this.lostLock = true;
    const holder = this.opts.lock.currentHolderPid();
    const why = `another agora${holder ? ` (pid ${holder})` : ''} took over conducting this run; this one stopped conducting and only watches`;
    this.log(why);
    this.opts.onLostLock?.(why);
    return false;
  }

  /**
   * True when nothing in the selected stages is running or waiting to run. A stage without a
   * driver runs nothing: a cell left pending there (metrics, its section since dropped) waits on no one.
   */
  isSettled(): boolean {
    if (runningJobs(this.db).length > 0) return false;
    const active = this.activeStages();
    return listCells(this.db).every((c) => !(active.includes(c.stage) && c.state === 'pending') && !this.canAdvance(c));
  }

  get paused(): boolean {
    return readMeta(this.db, 'paused') === '1';
  }

  /** Unpausing also starts a run that `agora stop` stopped: the user starts it again. */
  setPaused(paused: boolean): void {
    writeMeta(this.db, 'paused', paused ? '1' : '0');
    if (!paused) this.resume();
  }

  /** Why the run launches nothing (`agora stop`), or undefined when it is not stopped. */
  get stoppedReason(): string | undefined {
    const mark = readStopMark(this.db);
    return mark && `stopped by ${mark.by} at ${new Date(mark.at).toISOString()}`;
  }

  markStopped(by: string): void {
    writeStopMark(this.db, by);
  }

  resume(): void {
    deleteMeta(this.db, 'stopped');
  }

  /** Retries a stopped cell with the config as it is on disk now (see reloadConfig). */
  async retry(cellId: number): Promise<boolean> {
    if (this.lostLock || !this.retryable(cellId)) return false;
    await this.opts.reloadConfig?.();
    this.resume();
    return this.retryNow(cellId);
  }

  private retryable(cellId: number): boolean {
    return !runningJobOfCell(this.db, cellId) && isRetryable(getCell(this.db, cellId).state);
  }

  private retryNow(cellId: number): boolean {
    const cell = getCell(this.db, cellId);
    if (runningJobOfCell(this.db, cellId) || !isRetryable(cell.state)) return false;
    return applyCellEvent(this.db, cellId, { type: 'retry' }, { stage: cell.stage, state: cell.state }) !== undefined;
  }

  /**
   * Cells that failed only because their process died (a crash, kill -9, a reboot) are not a
   * verdict on the cell: a new conductor resumes them. Other failures wait for `r`.
   */
  resumeOrphaned(): number {
    return orphanFailedCellIds(this.db).filter((id) => this.retryNow(id)).length;
  }

  /** `R` and `--retry-failed`: every failed or cancelled cell, with the config as it is now. */
  async retryAllFailed(): Promise<number> {
    const stopped = () => listCells(this.db).filter((c) => (c.state === 'failed' || c.state === 'cancelled') && this.retryable(c.id));
    if (this.lostLock || stopped().length === 0) return 0;
    await this.opts.reloadConfig?.();
    this.resume();
    return stopped().filter((c) => this.retryNow(c.id)).length;
  }

  async cancel(cellId: number): Promise<boolean> {
    if (this.lostLock) return false;
    const job = runningJobOfCell(this.db, cellId);
    if (!job) {
      const cell = getCell(this.db, cellId);
      if (cell.state !== 'pending') return false;
      return applyCellEvent(this.db, cellId, { type: 'cancel' }, { state: 'pending' }) !== undefined;
    }
    // Recorded first: however the job then ends (a process killed before its handler was in,
    // a trainer that exits non-zero on SIGTERM), it ends cancelled.
    requestCancel(this.db, job.id);
    await this.drivers.get(job.stage)?.cancel(job);
    return true;
  }

  /** The stages this conductor runs now: requested, and with a driver (no `metrics:` section, no metrics stage). */
  activeStages(): Stage[] {
    return this.opts.stages.filter((s) => this.drivers.has(s));
  }

  private advanceTo(c: CellRow): Stage | undefined {
    if (c.state !== 'done') return undefined;
    return advanceTarget(c.stage, (s) => this.opts.stages.includes(s) && this.drivers.has(s));
  }

  private canAdvance(c: CellRow): boolean {
    return this.advanceTo(c) !== undefined;
  }

  private async reap(): Promise<void> {
    for (const job of runningJobs(this.db)) {
      const driver = this.drivers.get(job.stage);
      if (!driver) continue;
      const r = await driver.poll(job);
      // Shut down while the runner answered: the store may be about to close.
      if (this.closed) return;
      if (r === 'running' || r === 'ended') continue;
      this.orphan(job, r.orphaned);
    }
    this.recoverUnstarted();
  }

  /**
   * A cell is marked running before its job row is written (two writes): a conductor that died
   * between them left a running cell with nothing running for it. It goes back to pending.
   */
  private recoverUnstarted(): void {
    for (const c of listCells(this.db)) {
      if (c.state !== 'running' || runningJobOfCell(this.db, c.id)) continue;
      const error = 'its conductor stopped while starting its job (orphaned)';
      if (!applyCellEvent(this.db, c.id, { type: 'fail', error }, { stage: c.stage, state: 'running' })) continue;
      if (this.retryNow(c.id)) this.log(`${c.generator} ${c.setting}: ${error}; back to pending`);
    }
  }

  /**
   * A job whose process is gone without recording an outcome. If it had been asked to stop
   * (`x`, `agora stop`), that is what happened: the cell is cancelled, whatever the process
   * managed to write before it went (it may have been killed before its signal handler was
   * installed). Otherwise the cell failed, orphaned, and a new conductor resumes it.
   */
  private orphan(job: JobRow, why: string): void {
    writeTransaction(this.db, () => {
      const cancelled = getJob(this.db, job.id).cancel_requested === 1;
      if (!endJob(this.db, job.id, cancelled ? 'cancelled' : 'failed', cancelled ? 'cancelled' : why)) return;
      const charged = this.ledger.settleOrphans([job.id]);
      const expect = { stage: job.stage, state: 'running' as const };
      if (cancelled) applyCellEvent(this.db, job.cell_id, { type: 'cancel' }, expect);
      else applyCellEvent(this.db, job.cell_id, { type: 'fail', error: why }, expect);
      const what = cancelled ? 'cancelled; its process is gone' : why;
      this.log(`job ${job.id} of cell ${job.cell_id}: ${what}${charged ? `; ${charged} open requests charged at their reservation` : ''}`);
    });
  }

  private advanceAndBlock(): void {
    for (const c of listCells(this.db)) {
      const to = this.advanceTo(c);
      if (to) applyCellEvent(this.db, c.id, { type: 'advance', to }, { stage: c.stage, state: 'done' });
    }
    for (const c of listCells(this.db)) {
      const driver = this.drivers.get(c.stage);
      if (!driver || !this.opts.stages.includes(c.stage)) continue;
      const reason = c.state === 'pending' || c.state === 'blocked' ? driver.blockedReason(c) : undefined;
      if (c.state === 'pending' && reason) applyCellEvent(this.db, c.id, { type: 'block', reason }, { state: 'pending' });
      else if (c.state === 'blocked' && !reason) applyCellEvent(this.db, c.id, { type: 'unblock' }, { state: 'blocked' });
      else if (c.state === 'blocked' && reason && reason !== c.error) {
        setCellError(this.db, c.id, reason);
      }
    }
  }

  private async launch(): Promise<void> {
    const pending = listCells(this.db).filter((c) => c.state === 'pending' && this.opts.stages.includes(c.stage));
    // Round-robin over generators, so one generator's cells do not take every worker slot.
    const order = interleaveBy(pending, (c) => c.generator);
    for (const cell of order) {
      // Checked before each start: `agora stop` or a pause can come while others start.
      if (this.closed || this.paused || this.stoppedReason) return;
      const driver = this.drivers.get(cell.stage);
      if (!driver) continue;
      const running = runningJobs(this.db).filter((j) => j.stage === cell.stage);
      if (driver.capacity(running, cell) <= 0) continue;
      if (!applyCellEvent(this.db, cell.id, { type: 'start' }, { stage: cell.stage, state: 'pending' })) continue;
      try {
        await driver.launch(getCell(this.db, cell.id));
        this.log(`started ${cell.stage} for ${cell.generator} ${cell.setting}`);
        // `agora stop` read the running jobs while this one was being started: stop it too.
        if (this.stoppedReason) await this.cancel(cell.id);
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
