import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sweepConfigSchema } from '../src/config/schema.js';
import { ALL_SETTINGS } from '../src/core/setting.js';
import { openStore, type Db } from '../src/store/open-store.js';
import { syncRunFromConfig } from '../src/store/run-repo.js';
import { SnapshotQuery } from '../src/store/snapshot-query.js';

function fill(db: Db, upTo: number, cellIds: number[]): void {
  const have = (db.prepare(`SELECT COUNT(*) AS n FROM instances`).get() as { n: number }).n;
  const insert = db.prepare(
    `INSERT INTO instances (cell_id, seq, instruction, response, instruction_key, seed_index, call_id, created_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)`,
  );
  const call = db.prepare(
    `INSERT INTO api_calls (cell_id, generator, purpose, tokens_in, tokens_out, cost_nano, latency_ms, attempts, outcome, created_at) VALUES (?, 'g00', 'generate', 900, 300, 4000, 200, 1, 'ok', ?)`,
  );
  db.transaction(() => {
    for (let i = have; i < upTo; i++) {
      const cell = cellIds[i % cellIds.length]!;
      const seq = Math.floor(i / cellIds.length) + 1;
      insert.run(cell, seq, `Problem ${i}: a shop sells ${i} pencils...`, `Step by step... [RESULT] ${i} [/RESULT]`, `problem ${i}`, Date.now());
      call.run(cell, Date.now());
    }
  }).immediate();
}

function timeTake(q: SnapshotQuery, reps: number): number {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    q.take({ runDir: '/x', readOnly: false });
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** The dashboard's poll query on a 20 x 9 sweep holding 1,000 and then 1,000,000 instances. */
export async function benchDashboardPoll(opts: { quick?: boolean } = {}): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-bench-poll-'));
  try {
    const db = openStore(path.join(dir, 'agora.db'));
    const generators = Array.from({ length: 20 }, (_, i) => ({
      id: `g${String(i).padStart(2, '0')}`,
      provider: 'openai-compatible',
      model: 'm',
      baseURL: 'http://127.0.0.1:9/v1',
      price: { input: 1, output: 1 },
    }));
    syncRunFromConfig(db, sweepConfigSchema.parse({ name: 'poll', instancesPerCell: 10_000, budget: { usd: 1e6 }, generators, settings: ALL_SETTINGS }));
    const cellIds = (db.prepare(`SELECT id FROM cells`).all() as Array<{ id: number }>).map((r) => r.id);
    const q = new SnapshotQuery(db);
    fill(db, 1_000, cellIds);
    const small = timeTake(q, 200);
    const large = opts.quick ? 100_000 : 1_000_000;
    fill(db, large, cellIds);
    const big = timeTake(q, 200);
    db.close();
    return {
      'poll ms, 1,000 instances (median)': Number(small.toFixed(3)),
      [`poll ms, ${large.toLocaleString('en')} instances (median)`]: Number(big.toFixed(3)),
      'poll time ratio (large / small)': Number((big / small).toFixed(2)),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
