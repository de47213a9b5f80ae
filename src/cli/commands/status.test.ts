import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testConfig } from '../../../test/support/temp-run.js';
import { BudgetLedger } from '../../store/budget-ledger.js';
import { openStore } from '../../store/open-store.js';
import { syncRunFromConfig } from '../../store/run-repo.js';
import { SnapshotQuery } from '../../store/snapshot-query.js';
import { statusJson, statusText } from './status.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

describe('agora status', () => {
  it('reports the orphaned (worst-case) part of spending, for the run and per generator', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = openStore(path.join(t.dir, 'agora.db'));
    cleanups.unshift(() => db.close());
    const gens = [
      { id: 'gen-a', provider: 'openai-compatible', model: 'a', baseURL: 'http://127.0.0.1:9/v1', price: { input: 1, output: 2 }, concurrency: 1 },
      { id: 'gen-b', provider: 'openai-compatible', model: 'b', baseURL: 'http://127.0.0.1:9/v1', price: { input: 1, output: 2 }, concurrency: 1 },
    ];
    syncRunFromConfig(db, testConfig({ generators: gens }));
    const ledger = new BudgetLedger(db);
    const a = ledger.reserve({ generator: 'gen-a', cellId: null, jobId: 1, amountNano: 2_000_000 });
    ledger.reserve({ generator: 'gen-b', cellId: null, jobId: 2, amountNano: 3_000_000 });
    if (!a.ok) throw new Error('reserve failed');
    ledger.settle(a.id, {
      cellId: null,
      jobId: 1,
      generator: 'gen-a',
      purpose: 'generate',
      tokensIn: 10,
      tokensOut: 10,
      costNano: 1_000_000,
      latencyMs: 5,
      attempts: 1,
      outcome: 'ok',
    });
    ledger.settleOrphans([2]);

    const snap = new SnapshotQuery(db).take({ runDir: t.dir, readOnly: true });
    const json = statusJson(snap) as { spentUsd: number; orphanedUsd: number; generators: Array<{ id: string; spentUsd: number; orphanedUsd: number }> };
    expect(json.spentUsd).toBeCloseTo(0.004, 9);
    expect(json.orphanedUsd).toBeCloseTo(0.003, 9);
    expect(json.generators).toEqual([
      expect.objectContaining({ id: 'gen-a', orphanedUsd: 0 }),
      expect.objectContaining({ id: 'gen-b', spentUsd: 0.003, orphanedUsd: 0.003 }),
    ]);
    expect(statusText(snap)).toMatch(/\$0\.0030 of it charged at worst case/);
  });
});
