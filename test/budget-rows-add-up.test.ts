import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { usdToNano } from '../src/core/cost.js';
import { buildBudgetView } from '../src/core/views/budget-table.js';
import { BudgetLedger } from '../src/store/budget-ledger.js';
import { findCell } from '../src/store/cell-repo.js';
import { InstanceRepo } from '../src/store/instance-repo.js';
import { createJob, endJob } from '../src/store/job-repo.js';
import { openStore, type Db } from '../src/store/open-store.js';
import { syncRunFromConfig } from '../src/store/run-repo.js';
import { SnapshotQuery } from '../src/store/snapshot-query.js';
import { tempDir, testConfig } from './support/temp-run.js';
import { payCall } from './support/paid-call.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const INLINE_JUDGE = { id: 'judge-x', provider: 'openai-compatible', model: 'judge-model', baseURL: 'http://127.0.0.1:9/v1', price: { input: 5, output: 10 } };

function openRun(judge: string | typeof INLINE_JUDGE): Db {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const db = openStore(path.join(t.dir, 'agora.db'));
  cleanups.unshift(() => db.close());
  const generators = ['gen-a', 'gen-b'].map((id) => ({
    id,
    provider: 'openai-compatible',
    model: id,
    baseURL: 'http://127.0.0.1:9/v1',
    price: { input: 1, output: 2 },
    concurrency: 4,
  }));
  syncRunFromConfig(
    db,
    testConfig({
      generators,
      settings: ['math/instance', 'inst/instance'],
      evaluate: { judge: { generator: judge } },
      budget: { usd: 100, perGenerator: { 'gen-a': 50 } },
    }),
  );
  return db;
}

/** A paid call reserving twice what it then costs, as a real request's worst case does. */
function pay(db: Db, o: { generator: string; cellId: number | null; jobId: number; purpose: string; usd: number }): number {
  return payCall(db, { ...o, reserveUsd: o.usd * 2, tokens: 10 });
}

/** Generation on both generators' cells, judge calls on the instruction-following cells and the baselines, one reservation of each kind still open. */
function spend(db: Db, judgeId: string): void {
  const ledger = new BudgetLedger(db);
  const instances = new InstanceRepo(db);
  for (const [g, genUsd, judgeUsd] of [
    ['gen-a', 0.3, 0.5],
    ['gen-b', 0.22, 0.4],
  ] as const) {
    for (const s of ['math/instance', 'inst/instance']) {
      const c = findCell(db, g, s)!;
      const job = createJob(db, c.id, 'generate', 'local', 4);
      for (let i = 0; i < 4; i++) {
        const callId = pay(db, { generator: g, cellId: c.id, jobId: job.id, purpose: 'generate', usd: genUsd / 8 });
        instances.accept({ cellId: c.id, instruction: `${g} ${s} ${i}`, response: 'r', instructionKey: `${g}|${s}|${i}`, seedIndex: null, callId });
      }
    }
    const ifCell = findCell(db, g, 'inst/instance')!;
    const evalJob = createJob(db, ifCell.id, 'evaluate', 'local', 4);
    for (let i = 0; i < 5; i++) pay(db, { generator: judgeId, cellId: ifCell.id, jobId: evalJob.id, purpose: 'judge', usd: judgeUsd / 5 });
  }
  const scoreJob = createJob(db, findCell(db, 'gen-a', 'inst/instance')!.id, 'score', 'local', 4);
  for (let i = 0; i < 4; i++) pay(db, { generator: judgeId, cellId: null, jobId: scoreJob.id, purpose: 'judge', usd: 0.02 });
  const c = findCell(db, 'gen-b', 'math/instance')!;
  ledger.reserve({ generator: 'gen-b', cellId: c.id, jobId: createJob(db, c.id, 'generate', 'local', 4).id, amountNano: usdToNano(0.05) });
  ledger.reserve({ generator: judgeId, cellId: null, jobId: scoreJob.id, amountNano: usdToNano(0.03) });
}

const dollars = (s: string | undefined) => Number((s ?? '').replace(/[^0-9.]/g, ''));

function view(db: Db) {
  const run = new SnapshotQuery(db).take({ runDir: '/tmp/x', readOnly: true });
  return { run, view: buildBudgetView(run) };
}

describe('the budget view adds up (issue 12)', () => {
  for (const judge of ['gen-a', INLINE_JUDGE] as const) {
    const judgeId = typeof judge === 'string' ? judge : judge.id;
    it(`every dollar spent and reserved has a row, with the judge ${typeof judge === 'string' ? 'one of the generators' : 'given inline'}`, () => {
      const db = openRun(judge);
      spend(db, judgeId);
      const { run, view: v } = view(db);
      // 0.3 + 0.22 generation, 0.5 + 0.4 judging the students, 4 x 0.02 judging the baselines.
      expect(run.spentUsd).toBeCloseTo(1.5, 6);
      const spent = v.rows.reduce((s, r) => s + dollars(r[1]), 0);
      expect(spent).toBeCloseTo(dollars(v.total[1]), 6);
      expect(dollars(v.total[1])).toBeCloseTo(1.5, 6);
      const reserved = v.rows.reduce((s, r) => s + dollars(r[2]), 0);
      expect(reserved).toBeCloseTo(0.08, 6);
      const row = (name: string) => v.rows.find((r) => r[0] === name);
      expect(dollars(row('gen-a')?.[1])).toBeCloseTo(0.3, 6);
      expect(dollars(row('gen-b')?.[1])).toBeCloseTo(0.22, 6);
      expect(v.rows.find((r) => r[0]?.startsWith('judge'))?.[1]).toBe('$0.90');
      expect(v.rows.find((r) => r[0]?.startsWith('baselines'))?.[1]).toBe('$0.08');
    });
  }

  it('$/1k inst counts generation only, not judging', () => {
    const db = openRun(INLINE_JUDGE);
    spend(db, INLINE_JUDGE.id);
    const v = view(db).view;
    // gen-a: $0.30 for 8 accepted instances = $37.50 per 1k; with its $0.50 of judging it read $100.00.
    expect(v.rows.find((r) => r[0] === 'gen-a')?.[5]).toBe('$37.50');
  });

  it('says what judging each generator cost', () => {
    const db = openRun(INLINE_JUDGE);
    spend(db, INLINE_JUDGE.id);
    expect(view(db).view.evaluationSplit).toBe('judging each generator\u2019s students: gen-a $0.50, gen-b $0.40');
  });

  it('a polling query reads new calls on top of what it has summed, and agrees with a fresh one', () => {
    const db = openRun(INLINE_JUDGE);
    spend(db, INLINE_JUDGE.id);
    const query = new SnapshotQuery(db);
    const before = query.take({ runDir: '/tmp/x', readOnly: true });
    const ifCell = findCell(db, 'gen-b', 'inst/instance')!;
    pay(db, { generator: INLINE_JUDGE.id, cellId: ifCell.id, jobId: createJob(db, ifCell.id, 'evaluate', 'local', 4).id, purpose: 'judge', usd: 0.25 });
    const after = query.take({ runDir: '/tmp/x', readOnly: true });
    const judged = (r: typeof after) => r.cells.find((c) => c.id === ifCell.id);
    expect(judged(before)?.judgeCostUsd).toBeCloseTo(0.4, 9);
    expect(judged(after)?.judgeCostUsd).toBeCloseTo(0.65, 9);
    expect(judged(after)?.generationCostUsd).toBeCloseTo(0.11, 9);
    expect(new SnapshotQuery(db).take({ runDir: '/tmp/x', readOnly: true }).cells).toEqual(after.cells);
  });

  it('reads the pace: instances of the last minutes and finished jobs by stage', () => {
    const db = openRun(INLINE_JUDGE);
    spend(db, INLINE_JUDGE.id);
    const c = findCell(db, 'gen-a', 'math/instance')!;
    endJob(db, createJob(db, c.id, 'train', 'local', null).id, 'done');
    endJob(db, createJob(db, c.id, 'train', 'local', null).id, 'failed', 'boom');
    const run = view(db).run;
    expect(run.pace?.recentAccepted).toBe(16);
    // From the oldest of them: the rate is over the time they span.
    const oldest = (db.prepare(`SELECT MIN(created_at) AS t FROM instances`).get() as { t: number }).t;
    expect(run.pace?.sinceAt).toBe(oldest);
    // Only finished jobs count; the generate, evaluate and score jobs above are still running.
    expect(Object.keys(run.pace?.stageSeconds ?? {})).toEqual(['train']);
    expect(run.pace?.stageSeconds.train?.jobs).toBe(1);
  });
});
