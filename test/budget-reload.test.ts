import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startConductor } from '../src/cli/start-conductor.js';
import { findCell } from '../src/store/cell-repo.js';
import { readRunConfig } from '../src/store/run-repo.js';
import { tempDir } from './support/temp-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0)) await f();
});

const config = (cap: number, model = 'm', name = 'reload') => `name: ${name}
instancesPerCell: 3
budget: { usd: 10, perGenerator: { g: ${cap} } }
generators:
  - { id: g, provider: openai, model: ${model}, apiKeyEnv: RELOAD_TEST_KEY, price: { input: 1, output: 1 } }
settings: [math/response]
`;

describe('raising a cap in the config while the conductor runs', () => {
  it('takes effect when a budget-exhausted cell is retried', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = path.join(t.dir, 'sweep.yaml');
    fs.writeFileSync(file, config(1));
    const io = { stdout: process.stdout, stderr: process.stderr, env: {}, cwd: t.dir };
    const session = await startConductor(io, { configArg: file, stages: ['generate'] });
    cleanups.unshift(() => session.close());
    const db = session.db;
    const cell = findCell(db, 'g', 'math/response')!;
    db.prepare(`UPDATE cells SET state = 'budget-exhausted' WHERE id = ?`).run(cell.id);
    const cap = () => (db.prepare(`SELECT cap_nano FROM generators WHERE id = 'g'`).get() as { cap_nano: number }).cap_nano;
    expect(cap()).toBe(1e9);
    fs.writeFileSync(file, config(25));
    expect(await session.conductor!.retry(cell.id)).toBe(true);
    expect(cap()).toBe(25e9);
    expect(findCell(db, 'g', 'math/response')).toMatchObject({ state: 'pending' });
    // A config broken in the meantime leaves the caps as they were.
    db.prepare(`UPDATE cells SET state = 'budget-exhausted' WHERE id = ?`).run(cell.id);
    fs.writeFileSync(file, 'name: [broken');
    expect(await session.conductor!.retry(cell.id)).toBe(true);
    expect(cap()).toBe(25e9);
  });
});

describe('editing the config while the dashboard runs', () => {
  const start = async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = path.join(t.dir, 'sweep.yaml');
    fs.writeFileSync(file, config(5));
    const io = { stdout: process.stdout, stderr: process.stderr, env: {}, cwd: t.dir };
    const session = await startConductor(io, { configArg: file, stages: ['generate'] });
    cleanups.unshift(() => session.close());
    const db = session.db;
    const cell = findCell(db, 'g', 'math/response')!;
    const fail = () => db.prepare(`UPDATE cells SET state = 'failed' WHERE id = ?`).run(cell.id);
    const notice = () => (db.prepare(`SELECT value FROM run_meta WHERE key = 'notice'`).get() as { value: string } | undefined)?.value;
    const stored = () => readRunConfig(db);
    return { file, session, db, cell, fail, notice, stored };
  };

  it('a retry runs with the config as it is on disk now, not only its caps', async () => {
    const { file, session, cell, fail, stored } = await start();
    fail();
    // Workers read the stored config: a new model (as a new judge or data file would be) is
    // what the retried cell's worker gets.
    fs.writeFileSync(file, config(5, 'm-new'));
    expect(await session.conductor!.retryAllFailed()).toBe(1);
    expect(stored().generators[0]!.model).toBe('m-new');
    expect(findCell(session.db, 'g', 'math/response')).toMatchObject({ id: cell.id, state: 'pending' });
  });

  it('says in the dashboard why an edit was not taken, and clears that once it is', async () => {
    const { file, session, cell, fail, notice, stored } = await start();
    fail();
    fs.writeFileSync(file, 'name: [broken');
    expect(await session.conductor!.retry(cell.id)).toBe(true);
    expect(notice()).toMatch(/sweep\.yaml was not reloaded .*retries use the config as it was/);
    expect(stored().generators[0]!.model).toBe('m');
    fail();
    fs.writeFileSync(file, config(5, 'm', 'another-run'));
    expect(await session.conductor!.retry(cell.id)).toBe(true);
    expect(notice()).toMatch(/another run folder: restart agora/);
    fail();
    fs.writeFileSync(file, config(5, 'm2'));
    expect(await session.conductor!.retry(cell.id)).toBe(true);
    expect(notice()).toBeUndefined();
    expect(stored().generators[0]!.model).toBe('m2');
  });
});
