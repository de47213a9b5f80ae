import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testConfig } from '../../test/support/temp-run.js';
import { applyCellEvent, getCell, listCells, type CellRow } from '../store/cell-repo.js';
import { createJob, endJob, getJob, requestCancel, type JobRow } from '../store/job-repo.js';
import { openStore, type Db } from '../store/open-store.js';
import { syncRunFromConfig } from '../store/run-repo.js';
import { Conductor } from './conductor.js';
import { ConductorLock } from './conductor-lock.js';
import type { StageDriver } from './stage-driver.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** Jobs are rows only; poll can be held open to stand for a slow runner (sacct, a progress file). */
class SlowDriver implements StageDriver {
  readonly stage = 'generate' as const;
  launched: number[] = [];
  dead = new Set<number>();
  gate: Promise<void> | undefined;
  polls = 0;
  constructor(
    private readonly db: Db,
    private readonly slots = 10,
  ) {}
  blockedReason() {
    return undefined;
  }
  capacity(running: readonly JobRow[]) {
    return this.slots - running.length;
  }
  launch(cell: CellRow) {
    createJob(this.db, cell.id, 'generate', 'test', null);
    this.launched.push(cell.id);
  }
  async poll(job: JobRow) {
    this.polls++;
    if (this.gate) await this.gate;
    // Like TrainDriver.poll: the store is used after the await.
    getJob(this.db, job.id);
    return this.dead.has(job.cell_id) ? { orphaned: `worker process 1 vanished (orphaned)` } : ('running' as const);
  }
  cancel(job: JobRow) {
    // Like the process drivers: ask, and let the process end the job (or die trying).
    requestCancel(this.db, job.id);
  }
}

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const file = path.join(t.dir, 'agora.db');
  const db = openStore(file);
  cleanups.unshift(() => db.open && db.close());
  syncRunFromConfig(db, testConfig({ settings: ['math/instance', 'code/instance', 'inst/instance'] }));
  return { db, file };
}

describe('conductor lifecycle', () => {
  it('shutdown waits for the tick in flight, so the store can be closed right after', async () => {
    const { db } = setup();
    const d = new SlowDriver(db);
    const c = new Conductor(db, { stages: ['generate'], drivers: [d] });
    await c.tick();
    let open!: () => void;
    d.gate = new Promise((r) => (open = r));
    const inFlight = c.tick();
    await new Promise((r) => setImmediate(r));
    expect(d.polls).toBeGreaterThan(0);
    const down = c.shutdown();
    setTimeout(open, 20);
    await down;
    db.close();
    await expect(inFlight).resolves.toBeUndefined();
    // A tick asked for after shutdown does nothing (the store may already be closed).
    await expect(c.tick()).resolves.toBeUndefined();
  });

  it('steps down when another conductor took its lock over, and launches nothing more', async () => {
    const { db } = setup();
    const d = new SlowDriver(db, 1);
    const lost: string[] = [];
    const mine = new ConductorLock(db, process.pid);
    expect(mine.tryAcquire().ok).toBe(true);
    const c = new Conductor(db, { stages: ['generate'], drivers: [d], lock: mine, onLostLock: (why) => lost.push(why) });
    await c.tick();
    expect(d.launched).toHaveLength(1);
    // This conductor stalled (its heartbeat went stale) and another process took over.
    db.prepare(`UPDATE run_meta SET value = ? WHERE key = 'conductor'`).run(JSON.stringify({ pid: process.ppid, at: Date.now() }));
    endJob(db, (db.prepare(`SELECT id FROM jobs`).get() as { id: number }).id, 'done');
    applyCellEvent(db, d.launched[0]!, { type: 'finish' });
    await c.tick();
    expect(d.launched).toHaveLength(1);
    expect(c.steppedDown).toBe(true);
    expect(lost).toEqual([expect.stringContaining(String(process.ppid))]);
    // It never takes the lock back by itself.
    await c.tick();
    expect(JSON.parse((db.prepare(`SELECT value FROM run_meta WHERE key = 'conductor'`).get() as { value: string }).value).pid).toBe(process.ppid);
  });

  it('a cancelled job whose process then dies without a word ends cancelled, not failed', async () => {
    const { db } = setup();
    const d = new SlowDriver(db, 1);
    const c = new Conductor(db, { stages: ['generate'], drivers: [d] });
    await c.tick();
    const cellId = d.launched[0]!;
    expect(await c.cancel(cellId)).toBe(true);
    d.dead.add(cellId);
    await c.tick();
    expect(getCell(db, cellId)).toMatchObject({ state: 'cancelled' });
    expect(db.prepare(`SELECT state FROM jobs WHERE cell_id = ?`).get(cellId)).toEqual({ state: 'cancelled' });
    // A new conductor does not resume a cancelled cell by itself: only orphaned failures.
    expect(new Conductor(db, { stages: ['generate'], drivers: [d] }).resumeOrphaned()).toBe(0);
  });

  it('retry-all takes cancelled cells as well as failed ones', async () => {
    const { db } = setup();
    const [a, b, x] = listCells(db) as [CellRow, CellRow, CellRow];
    applyCellEvent(db, a.id, { type: 'cancel' });
    applyCellEvent(db, b.id, { type: 'fail', error: 'boom' });
    const c = new Conductor(db, { stages: ['generate'], drivers: [new SlowDriver(db)] });
    c.setPaused(true);
    expect(await c.retryAllFailed()).toBe(2);
    expect([getCell(db, a.id).state, getCell(db, b.id).state, getCell(db, x.id).state]).toEqual(['pending', 'pending', 'pending']);
  });

  it('a stopped run launches nothing until it is started again', async () => {
    const { db } = setup();
    const d = new SlowDriver(db);
    const c = new Conductor(db, { stages: ['generate'], drivers: [d] });
    c.markStopped('agora stop');
    await c.tick();
    expect(d.launched).toEqual([]);
    expect(c.stoppedReason).toMatch(/agora stop/);
    c.resume();
    await c.tick();
    expect(d.launched).toHaveLength(3);
  });
});

describe('a conductor that died while starting a job', () => {
  it('leaves a running cell with no job: the next tick puts it back to pending, and it starts again', async () => {
    const { db } = setup();
    const d = new SlowDriver(db, 1);
    const cell = listCells(db)[0]!;
    // Marked running, then the process died before the job row was written.
    applyCellEvent(db, cell.id, { type: 'start' });
    const c = new Conductor(db, { stages: ['generate'], drivers: [d] });
    await c.tick();
    expect(getCell(db, cell.id).state).toBe('running');
    expect(d.launched).toEqual([cell.id]);
  });

  it('a stop that comes while a job is being started stops that job too', async () => {
    const { db } = setup();
    const d = new SlowDriver(db, 1);
    const c = new Conductor(db, { stages: ['generate'], drivers: [d] });
    const launch = d.launch.bind(d);
    // `agora stop` writes its mark between the cell's start and its job's row.
    d.launch = (cell: CellRow) => {
      c.markStopped('agora stop');
      launch(cell);
    };
    await c.tick();
    expect(d.launched).toHaveLength(1);
    expect(getJob(db, (db.prepare(`SELECT id FROM jobs`).get() as { id: number }).id).cancel_requested).toBe(1);
  });
});
