import { afterEach, describe, expect, it } from 'vitest';
import { tempStore, testConfig } from '../../test/support/temp-run.js';
import { atProviderText } from '../core/views/cell-progress.js';
import { closeBatch, insertBatch, markBatchSent, setBatchProgress } from './batch-repo.js';
import { listCells } from './cell-repo.js';
import { SnapshotQuery } from './snapshot-query.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

describe('batches at the provider in the snapshot', () => {
  it('gives each cell its batches in flight, done of all, for the dashboard and status alike', () => {
    const t = tempStore(testConfig({ settings: ['math/instance', 'code/instance'] }));
    cleanups.push(t.cleanup);
    const db = t.db;
    const [a, b] = listCells(db);
    const one = insertBatch(db, a!.id, []);
    const two = insertBatch(db, a!.id, []);
    const settled = insertBatch(db, b!.id, []);
    for (const [batch, done] of [
      [one, 340],
      [two, 0],
      [settled, 1000],
    ] as const) {
      markBatchSent(db, batch.id, `batch_${batch.id}`);
      setBatchProgress(db, batch.id, { done, failed: 0, providerStatus: 'in_progress' });
    }
    db.prepare(`UPDATE batches SET total = 1000`).run();
    closeBatch(db, settled.id, 'settled');
    const snap = new SnapshotQuery(db).take({ runDir: t.dir, readOnly: true });
    const byId = new Map(snap.cells.map((c) => [c.id, c]));
    expect(byId.get(a!.id)?.atProvider).toEqual({ batches: 2, done: 340, total: 2000 });
    expect(byId.get(b!.id)?.atProvider).toBeUndefined();
    expect(atProviderText(byId.get(a!.id)!.atProvider!)).toBe('2 batches at the provider: 340/2,000 done');
  });
});
