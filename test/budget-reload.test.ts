import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startConductor } from '../src/cli/start-conductor.js';
import { findCell } from '../src/store/cell-repo.js';
import { tempDir } from './support/temp-run.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const config = (cap: number) => `name: reload
instancesPerCell: 3
budget: { usd: 10, perGenerator: { g: ${cap} } }
generators:
  - { id: g, provider: openai, model: m, apiKeyEnv: RELOAD_TEST_KEY, price: { input: 1, output: 1 } }
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
    expect(session.conductor!.retry(cell.id)).toBe(true);
    expect(cap()).toBe(25e9);
    expect(findCell(db, 'g', 'math/response')).toMatchObject({ state: 'pending' });
    // A config broken in the meantime leaves the caps as they were.
    db.prepare(`UPDATE cells SET state = 'budget-exhausted' WHERE id = ?`).run(cell.id);
    fs.writeFileSync(file, 'name: [broken');
    expect(session.conductor!.retry(cell.id)).toBe(true);
    expect(cap()).toBe(25e9);
  });
});
