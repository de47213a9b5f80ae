import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sweepConfigSchema, type SweepConfig } from '../../src/config/schema.js';
import { openStore, type Db } from '../../src/store/open-store.js';
import { syncRunFromConfig } from '../../src/store/run-repo.js';

/** A fresh folder under the OS temp dir, removed by the returned function. */
export function tempDir(prefix = 'agora-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(overrides: Partial<Record<keyof SweepConfig, unknown>> = {}): SweepConfig {
  return sweepConfigSchema.parse({
    name: 'test-sweep',
    instancesPerCell: 10,
    budget: { usd: 100 },
    generators: [
      { id: 'gen-a', provider: 'openai-compatible', model: 'model-a', baseURL: 'http://127.0.0.1:9/v1', price: { input: 1, output: 2 }, concurrency: 4 },
    ],
    settings: ['math/instance'],
    ...overrides,
  });
}

export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const TSX_NODE_ARGS = ['--import', 'tsx'];

/** A run's store in a fresh temp folder, migrated and synced from `config`; `cleanup` closes and removes it. */
export function tempStore(config: SweepConfig = testConfig()): { db: Db; dir: string; cleanup: () => void } {
  const t = tempDir();
  const db = openStore(path.join(t.dir, 'agora.db'));
  syncRunFromConfig(db, config);
  return {
    db,
    dir: t.dir,
    cleanup: () => {
      db.close();
      t.cleanup();
    },
  };
}
