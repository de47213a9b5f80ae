import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testConfig } from '../../test/support/temp-run.js';
import { applyCellEvent, findCell } from './cell-repo.js';
import { createJob } from './job-repo.js';
import { openStore, type Db } from './open-store.js';
import { applyPlannedTargets, readRunConfig, syncRunFromConfig, writeMeta } from './run-repo.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanups.splice(0).reverse()) f();
});

function store(): Db {
  const t = tempDir();
  const db = openStore(path.join(t.dir, 'agora.db'));
  cleanups.push(t.cleanup, () => db.close());
  return db;
}

const config = (instancesPerCell: number) => testConfig({ instancesPerCell, settings: ['code/response', 'inst/quality', 'math/instance'] });
const target = (db: Db, setting: string) => findCell(db, 'gen-a', setting)!.target;

describe('cell targets', () => {
  it("a conductor syncing the config never rewrites a started cell's target (issue 9)", () => {
    const db = store();
    syncRunFromConfig(db, config(300));
    applyPlannedTargets(db, [{ generator: 'gen-a', setting: 'code/response', target: 24 }]);
    const cell = findCell(db, 'gen-a', 'code/response')!;
    createJob(db, cell.id, 'generate', 'process', null);
    applyCellEvent(db, cell.id, { type: 'start' });
    // A re-attaching conductor syncs again: the running cell keeps the target it was planned with.
    syncRunFromConfig(db, config(300));
    expect(target(db, 'code/response')).toBe(24);
    syncRunFromConfig(db, config(500));
    expect(target(db, 'code/response')).toBe(24);
  });

  it('the plan sets the target of cells that have not started, and only theirs', () => {
    const db = store();
    syncRunFromConfig(db, config(300));
    applyPlannedTargets(db, [
      { generator: 'gen-a', setting: 'code/response', target: 24 },
      { generator: 'gen-a', setting: 'inst/quality', target: 20 },
      { generator: 'gen-a', setting: 'math/instance', target: 300 },
    ]);
    expect([target(db, 'code/response'), target(db, 'inst/quality'), target(db, 'math/instance')]).toEqual([24, 20, 300]);
    const started = findCell(db, 'gen-a', 'inst/quality')!;
    createJob(db, started.id, 'generate', 'process', null);
    // instancesPerCell lowered in the config: cells not started take the new plan, started ones keep theirs.
    syncRunFromConfig(db, config(10));
    applyPlannedTargets(db, [
      { generator: 'gen-a', setting: 'code/response', target: 10 },
      { generator: 'gen-a', setting: 'inst/quality', target: 10 },
      { generator: 'gen-a', setting: 'math/instance', target: 10 },
    ]);
    expect([target(db, 'code/response'), target(db, 'inst/quality'), target(db, 'math/instance')]).toEqual([10, 20, 10]);
  });
});

describe('stored config (issue 14: JSON read at a boundary is parsed)', () => {
  it('reads back the config the run stored, defaults and all', () => {
    const db = store();
    const c = config(300);
    syncRunFromConfig(db, c);
    expect(readRunConfig(db)).toEqual(c);
  });

  it('a stored config with a bad field fails naming the field, not deep inside a worker', () => {
    const db = store();
    const c = config(300);
    syncRunFromConfig(db, c);
    const bad = { ...c, generators: [{ ...c.generators[0], price: { input: 'cheap', output: 1 } }] };
    writeMeta(db, 'config_json', JSON.stringify(bad));
    expect(() => readRunConfig(db)).toThrow(/config_json.*generators\[0\]\.price\.input: expected a number/);
  });
});
