import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testConfig } from '../../test/support/temp-run.js';
import { mulberry32 } from '../core/prompts/rng.js';
import { listCells } from './cell-repo.js';
import { InstanceRepo } from './instance-repo.js';
import { openStore } from './open-store.js';
import { syncRunFromConfig } from './run-repo.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function storeWith(n: number) {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const db = openStore(path.join(t.dir, 'agora.db'));
  cleanups.unshift(() => db.close());
  syncRunFromConfig(db, testConfig({ instancesPerCell: 1000 }));
  const cell = listCells(db)[0]!;
  const repo = new InstanceRepo(db);
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      repo.accept({ cellId: cell.id, instruction: `generated ${i}`, response: `r${i}`, instructionKey: `k${i}`, seedIndex: null, callId: null });
    }
  }).immediate();
  return { repo, cellId: cell.id };
}

describe('sampling one accepted instance for the third demo', () => {
  it('draws uniformly over every accepted instance, not only the most recent ones', () => {
    const { repo, cellId } = storeWith(200);
    const rng = mulberry32(17);
    const counts = new Map<number, number>();
    for (let i = 0; i < 20_000; i++) {
      const row = repo.sampleAccepted(cellId, rng)!;
      expect(row.instruction).toBe(`generated ${row.seq}`);
      counts.set(row.seq, (counts.get(row.seq) ?? 0) + 1);
    }
    expect(counts.size).toBe(200);
    // 100 expected per instance; the oldest are drawn as often as the newest.
    for (const n of counts.values()) expect(n).toBeGreaterThan(50);
    const oldest = [...counts].filter(([seq]) => seq <= 100).reduce((s, [, n]) => s + n, 0);
    expect(oldest / 20_000).toBeGreaterThan(0.45);
  });

  it('is reproducible for a seed and empty before anything is accepted', () => {
    const { repo, cellId } = storeWith(50);
    const a = Array.from(
      { length: 20 },
      (
        (rng) => () =>
          repo.sampleAccepted(cellId, rng)!.seq
      )(mulberry32(3)),
    );
    const b = Array.from(
      { length: 20 },
      (
        (rng) => () =>
          repo.sampleAccepted(cellId, rng)!.seq
      )(mulberry32(3)),
    );
    expect(a).toEqual(b);
    const empty = storeWith(0);
    expect(empty.repo.sampleAccepted(empty.cellId, mulberry32(1))).toBeUndefined();
  });
});
