import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir, testConfig, TSX_NODE_ARGS } from '../../test/support/temp-run.js';
import { BudgetLedger } from './budget-ledger.js';
import { openStore, type Db } from './open-store.js';
import { syncRunFromConfig } from './run-repo.js';
import { usdToNano } from '../core/cost.js';

const run = promisify(execFile);
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function setup(budgetUsd: number, perGen?: number): { db: Db; file: string } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const file = path.join(t.dir, 'agora.db');
  const db = openStore(file);
  cleanups.unshift(() => db.close());
  syncRunFromConfig(db, testConfig({ budget: { usd: budgetUsd, ...(perGen !== undefined ? { perGenerator: { 'gen-a': perGen } } : {}) } }));
  return { db, file };
}

const call = (costNano: number) => ({
  cellId: null,
  jobId: 7,
  generator: 'gen-a',
  purpose: 'test',
  tokensIn: 10,
  tokensOut: 5,
  costNano,
  latencyMs: 1,
  attempts: 1,
  outcome: 'ok' as const,
});

describe('budget ledger', () => {
  it('reserves worst case, settles to the real cost, and records the call', () => {
    const { db } = setup(1);
    const ledger = new BudgetLedger(db);
    const r = ledger.reserve({ generator: 'gen-a', cellId: null, jobId: 7, amountNano: usdToNano(0.4) });
    expect(r.ok).toBe(true);
    expect(ledger.totals()).toEqual({ spentNano: 0, reservedNano: usdToNano(0.4) });
    if (!r.ok) return;
    ledger.settle(r.id, call(usdToNano(0.1)));
    expect(ledger.totals()).toEqual({ spentNano: usdToNano(0.1), reservedNano: 0 });
    expect(ledger.totals('gen-a')).toEqual({ spentNano: usdToNano(0.1), reservedNano: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM api_calls').get()).toEqual({ n: 1 });
    expect(() => ledger.settle(r.id, call(1))).toThrow(/not open/);
  });

  it('tells a reservation that can never fit from one that must wait for others to settle', () => {
    const { db } = setup(1);
    const ledger = new BudgetLedger(db);
    const a = ledger.reserve({ generator: 'gen-a', cellId: null, jobId: 1, amountNano: usdToNano(0.7) });
    expect(a.ok).toBe(true);
    expect(ledger.reserve({ generator: 'gen-a', cellId: null, jobId: 2, amountNano: usdToNano(0.5) })).toMatchObject({ ok: false, reason: 'contended' });
    expect(ledger.reserve({ generator: 'gen-a', cellId: null, jobId: 2, amountNano: usdToNano(1.01) })).toMatchObject({
      ok: false,
      reason: 'exhausted',
      scope: '*',
    });
  });

  it('enforces the per-generator cap as well as the run cap', () => {
    const { db } = setup(10, 0.5);
    const ledger = new BudgetLedger(db);
    expect(ledger.reserve({ generator: 'gen-a', cellId: null, jobId: 1, amountNano: usdToNano(0.6) })).toMatchObject({
      ok: false,
      reason: 'exhausted',
      scope: 'gen-a',
    });
  });

  it('charges reservations of dead processes at their worst case and leaves none open', () => {
    const { db } = setup(1);
    const ledger = new BudgetLedger(db);
    ledger.reserve({ generator: 'gen-a', cellId: null, jobId: 42, amountNano: 300 });
    ledger.reserve({ generator: 'gen-a', cellId: null, jobId: 43, amountNano: 500 });
    expect(ledger.settleOrphans([42])).toBe(1);
    expect(ledger.totals()).toEqual({ spentNano: 300, reservedNano: 500 });
    expect(db.prepare(`SELECT outcome FROM api_calls`).all()).toEqual([{ outcome: 'orphaned' }]);
  });

  it('keeps worst-case charges of cut-off requests apart from measured spending; the cap still counts them', () => {
    const { db } = setup(0.001);
    const ledger = new BudgetLedger(db);
    const res = (jobId: number, amountNano: number) => {
      const r = ledger.reserve({ generator: 'gen-a', cellId: null, jobId, amountNano });
      if (!r.ok) throw new Error(`reserve failed: ${r.reason}`);
      return r.id;
    };
    const measured = res(1, 200_000);
    const aborted = res(1, 150_000);
    res(2, 300_000);
    ledger.settle(measured, call(100_000));
    // The generation loop's abort path: nobody read an answer, so it pays the reservation.
    ledger.settle(aborted, { ...call(150_000), tokensIn: 0, tokensOut: 0, latencyMs: null, outcome: 'error', error: 'aborted: cancelled' });
    ledger.settleOrphans([2]);
    expect(ledger.totals()).toEqual({ spentNano: 550_000, reservedNano: 0 });
    expect(ledger.orphanedNano()).toBe(450_000);
    expect(ledger.orphanedNano('gen-a')).toBe(450_000);
    expect(db.prepare(`SELECT worst_case FROM api_calls ORDER BY id`).all()).toEqual([{ worst_case: 0 }, { worst_case: 1 }, { worst_case: 1 }]);
    // A failed request that cost nothing is not an estimate.
    ledger.settle(res(3, 1000), { ...call(0), tokensIn: 0, tokensOut: 0, outcome: 'error', error: 'bad-request' });
    expect(ledger.orphanedNano()).toBe(450_000);
    // 0.55 of the 1.00 (milli-dollar) cap is spent, orphaned part included: 0.5 more does not fit.
    expect(ledger.reserve({ generator: 'gen-a', cellId: null, jobId: 4, amountNano: 500_000 })).toMatchObject({ ok: false, reason: 'exhausted' });
  });

  it('never passes the cap with three processes racing for it', async () => {
    const { db, file } = setup(3);
    const script = path.join(REPO_ROOT, 'test/fixtures/budget-racer.ts');
    const outs = await Promise.all(
      [1, 2, 3].map((seed) => run(process.execPath, [...TSX_NODE_ARGS, script, file, 'gen-a', String(seed), '3'], { cwd: REPO_ROOT })),
    );
    const results = outs.map((o) => JSON.parse(o.stdout) as { settled: number });
    // Every process did real work, so they really interleaved on the cap.
    for (const r of results) expect(r.settled).toBeGreaterThan(0);
    const ledger = new BudgetLedger(db);
    const t = ledger.totals();
    expect(t.reservedNano).toBe(0);
    expect(t.spentNano).toBeLessThanOrEqual(usdToNano(3));
    // It stopped because the cap was reached, not for another reason.
    expect(t.spentNano).toBeGreaterThan(usdToNano(3) - 10_000_000);
    const sum = db.prepare(`SELECT SUM(cost_nano) AS s, COUNT(*) AS n FROM api_calls`).get() as { s: number; n: number };
    expect(sum.s).toBe(t.spentNano);
    expect(sum.n).toBe(results.reduce((a, r) => a + r.settled, 0));
    expect(db.prepare('SELECT COUNT(*) AS n FROM reservations').get()).toEqual({ n: 0 });
  });
});
