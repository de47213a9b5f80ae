import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testConfig } from '../../test/support/temp-run.js';
import { createJob, endJob } from './job-repo.js';
import { listCells } from './cell-repo.js';
import { openStore } from './open-store.js';
import { syncRunFromConfig } from './run-repo.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

// Another process writing in a tight loop, as generation workers do: bounded by a count, and
// it stops by itself.
const WRITER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('busy_timeout = 10000');
const up = db.prepare("INSERT INTO run_meta (key, value) VALUES ('writer', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
process.stdout.write('ready\\n');
for (let i = 0; i < 200000; i++) db.transaction(() => up.run(String(i))).immediate();
`;

describe('job rows', () => {
  it('createJob waits for the write lock instead of failing when another process writes at the same time', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = path.join(t.dir, 'agora.db');
    const db = openStore(file);
    cleanups.unshift(() => db.close());
    syncRunFromConfig(db, testConfig());
    const cell = listCells(db)[0]!;
    const writer = spawn(process.execPath, ['-e', WRITER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((r) => writer.on('exit', (code) => r(code)));
    cleanups.unshift(() => writer.kill('SIGKILL'));
    await new Promise<void>((r) => writer.stdout!.once('data', () => r()));
    const errors: string[] = [];
    for (let i = 0; i < 2000 && writer.exitCode === null; i++) {
      try {
        const job = createJob(db, cell.id, 'generate', 'test', null);
        endJob(db, job.id, 'done');
      } catch (e) {
        errors.push((e as Error).message);
      }
      // Yield now and then so the writer is mid-loop whenever a job is created.
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    writer.kill('SIGKILL');
    await exited;
    expect(errors).toEqual([]);
    const attempts = db.prepare(`SELECT attempt FROM jobs WHERE cell_id = ? ORDER BY id`).all(cell.id) as Array<{ attempt: number }>;
    expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
  });
});
