import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testConfig } from '../../test/support/temp-run.js';
import { BudgetLedger } from '../store/budget-ledger.js';
import { applyCellEvent, getCell, listCells, type CellRow } from '../store/cell-repo.js';
import { createJob, endJob, type JobRow } from '../store/job-repo.js';
import { openStore, type Db } from '../store/open-store.js';
import { syncRunFromConfig } from '../store/run-repo.js';
import { Conductor } from './conductor.js';
import type { StageDriver } from './stage-driver.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** A stage driver whose jobs are rows only: the test decides when they end or die. */
class RecordingDriver implements StageDriver {
  launched: number[] = [];
  dead = new Set<number>();
  blocked = new Map<string, string>();
  constructor(
    private readonly db: Db,
    readonly stage: 'generate' | 'train',
    private readonly slots: number,
  ) {}
  blockedReason(cell: CellRow) {
    return this.blocked.get(cell.generator);
  }
  capacity(running: readonly JobRow[]) {
    return this.slots - running.length;
  }
  launch(cell: CellRow) {
    createJob(this.db, cell.id, this.stage, 'test', null);
    this.launched.push(cell.id);
  }
  poll(job: JobRow) {
    return this.dead.has(job.cell_id) ? { orphaned: `worker process 1 vanished (orphaned)` } : ('running' as const);
  }
  cancel(job: JobRow) {
    endJob(this.db, job.id, 'cancelled');
    applyCellEvent(this.db, job.cell_id, { type: 'cancel' });
  }
}

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const db = openStore(path.join(t.dir, 'agora.db'));
  cleanups.unshift(() => db.close());
  const config = testConfig({
    generators: [
      { id: 'a', provider: 'openai-compatible', model: 'm', baseURL: 'http://127.0.0.1:9/v1', price: { input: 1, output: 1 } },
      { id: 'b', provider: 'openai-compatible', model: 'm', baseURL: 'http://127.0.0.1:9/v1', price: { input: 1, output: 1 } },
    ],
    settings: ['math/instance', 'code/instance'],
  });
  syncRunFromConfig(db, config);
  return db;
}

const finishRunning = (db: Db, cellId: number) => {
  const job = db.prepare(`SELECT id FROM jobs WHERE cell_id = ? AND state = 'running'`).get(cellId) as { id: number };
  endJob(db, job.id, 'done');
  applyCellEvent(db, cellId, { type: 'finish' });
};

describe('conductor', () => {
  it('launches within capacity, round-robin over generators, and blocks cells that cannot run', async () => {
    const db = setup();
    const gen = new RecordingDriver(db, 'generate', 2);
    gen.blocked.set('b', 'B_KEY is not set');
    const c = new Conductor(db, { stages: ['generate'], drivers: [gen] });
    await c.tick();
    expect(gen.launched).toHaveLength(2);
    const cells = listCells(db);
    expect(cells.filter((x) => x.generator === 'b').every((x) => x.state === 'blocked' && x.error === 'B_KEY is not set')).toBe(true);
    expect(cells.filter((x) => x.generator === 'a').every((x) => x.state === 'running')).toBe(true);
    // The key appears: the next tick unblocks and, with a slot free, launches.
    gen.blocked.clear();
    finishRunning(db, gen.launched[0]!);
    await c.tick();
    expect(gen.launched).toHaveLength(3);
  });

  it('advances finished cells only into the stages it runs and has drivers for', async () => {
    const db = setup();
    const gen = new RecordingDriver(db, 'generate', 10);
    const train = new RecordingDriver(db, 'train', 1);
    const genOnly = new Conductor(db, { stages: ['generate'], drivers: [gen, train] });
    await genOnly.tick();
    for (const id of gen.launched) finishRunning(db, id);
    await genOnly.tick();
    expect(listCells(db).every((x) => x.stage === 'generate' && x.state === 'done')).toBe(true);
    expect(genOnly.isSettled()).toBe(true);
    const both = new Conductor(db, { stages: ['generate', 'train'], drivers: [gen, train] });
    await both.tick();
    expect(train.launched).toHaveLength(1);
    expect(
      listCells(db)
        .filter((x) => x.stage === 'train')
        .map((x) => x.state)
        .sort(),
    ).toEqual(['pending', 'pending', 'pending', 'running']);
    expect(both.isSettled()).toBe(false);
  });

  it('fails orphaned jobs, charges their open reservations, and a new conductor resumes them', async () => {
    const db = setup();
    const gen = new RecordingDriver(db, 'generate', 1);
    const c = new Conductor(db, { stages: ['generate'], drivers: [gen] });
    await c.tick();
    const cellId = gen.launched[0]!;
    const jobId = (db.prepare(`SELECT id FROM jobs WHERE cell_id = ?`).get(cellId) as { id: number }).id;
    const ledger = new BudgetLedger(db);
    ledger.reserve({ generator: 'a', cellId, jobId, amountNano: 1234 });
    gen.dead.add(cellId);
    await c.tick();
    expect(getCell(db, cellId)).toMatchObject({ state: 'failed', error: expect.stringContaining('orphaned') });
    expect(ledger.totals()).toEqual({ spentNano: 1234, reservedNano: 0 });
    gen.dead.clear();
    const next = new Conductor(db, { stages: ['generate'], drivers: [gen] });
    expect(next.resumeOrphaned()).toBe(1);
    expect(getCell(db, cellId).state).toBe('pending');
  });

  it('retries only stopped cells, and does not start anything while paused', async () => {
    const db = setup();
    const gen = new RecordingDriver(db, 'generate', 10);
    const c = new Conductor(db, { stages: ['generate'], drivers: [gen] });
    c.setPaused(true);
    await c.tick();
    expect(gen.launched).toHaveLength(0);
    c.setPaused(false);
    await c.tick();
    const [first, second] = gen.launched as [number, number];
    expect(await c.retry(first)).toBe(false);
    await c.cancel(second);
    expect(getCell(db, second).state).toBe('cancelled');
    expect(await c.retry(second)).toBe(true);
    expect(getCell(db, second)).toMatchObject({ stage: 'generate', state: 'pending' });
  });
});
