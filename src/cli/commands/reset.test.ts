import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openStore } from '../../store/open-store.js';
import { syncRunFromConfig } from '../../store/run-repo.js';
import { testConfig, tempDir } from '../../../test/support/temp-run.js';
import { main } from '../main.js';
import { closeBatch, insertBatch } from '../../store/batch-repo.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function io(cwd: string) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (s: string) => ((out.stdout += s), true) } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => ((out.stderr += s), true) } as unknown as NodeJS.WritableStream,
      env: process.env,
      cwd,
    },
  };
}

/** A run whose math/instance cell went all the way to score, with costs, outputs and scores. */
function scoredRun() {
  const t = tempDir('agora-reset-');
  cleanups.push(t.cleanup);
  const config = testConfig({ runDir: 'run' });
  fs.writeFileSync(path.join(t.dir, 'agora.config.yaml'), stringify({ ...config, evaluate: undefined }));
  const db = openStore(path.join(t.dir, 'run/agora.db'));
  cleanups.push(() => db.close());
  syncRunFromConfig(db, config);
  const id = (db.prepare(`SELECT id FROM cells`).get() as { id: number }).id;
  db.prepare(
    `UPDATE cells SET stage = 'score', state = 'done', accepted = 2, cost_nano = 500, checkpoint = '/ckpt', scores_json = '{}', progress_json = '{}' WHERE id = ?`,
  ).run(id);
  db.prepare(
    `INSERT INTO instances (cell_id, seq, instruction, response, instruction_key, created_at) VALUES (?, 1, 'a', 'b', 'a', 0), (?, 2, 'c', 'd', 'c', 0)`,
  ).run(id, id);
  db.prepare(
    `INSERT INTO api_calls (cell_id, generator, purpose, tokens_in, tokens_out, cost_nano, outcome, created_at) VALUES (?, 'gen-a', 'generate', 1, 1, 500, 'ok', 0)`,
  ).run(id);
  db.prepare(
    `INSERT INTO eval_items (subject, cell_id, benchmark, item_id, output, score, verdict_json, created_at) VALUES (?, ?, 'gsm8k', '0', 'x', 1, '{}', 0)`,
  ).run(`cell:${id}`, id);
  db.prepare(`INSERT INTO eval_items (subject, cell_id, benchmark, item_id, output, created_at) VALUES ('base', NULL, 'gsm8k', '0', 'y', 0)`).run();
  db.prepare(`INSERT INTO benchmark_scores (subject, benchmark, score, n, source, updated_at) VALUES (?, 'gsm8k', 50, 1, 'evaluated', 0)`).run(`cell:${id}`);
  fs.mkdirSync(path.join(t.dir, 'run/gen-a/math/instance/checkpoint'), { recursive: true });
  return { dir: t.dir, db, id };
}

const count = (db: ReturnType<typeof openStore>, sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;

describe('agora reset', () => {
  it('redoes evaluation from scratch: clears outputs and scores of the cell only, keeps the checkpoint and the costs', async () => {
    const r = scoredRun();
    const { io: cli, out } = io(r.dir);
    expect(await main(['reset', 'gen-a', 'math/instance', '--stage', 'evaluate'], cli)).toBe(0);
    expect(out.stdout).toMatch(/reset to evaluate/);
    expect(r.db.prepare(`SELECT stage, state, checkpoint, scores_json, cost_nano, accepted FROM cells`).get()).toEqual({
      stage: 'evaluate',
      state: 'pending',
      checkpoint: '/ckpt',
      scores_json: null,
      cost_nano: 500,
      accepted: 2,
    });
    expect(count(r.db, `SELECT COUNT(*) AS n FROM eval_items WHERE subject = ?`, `cell:${r.id}`)).toBe(0);
    expect(count(r.db, `SELECT COUNT(*) AS n FROM eval_items WHERE subject = 'base'`)).toBe(1);
    expect(count(r.db, `SELECT COUNT(*) AS n FROM benchmark_scores`)).toBe(0);
    expect(count(r.db, `SELECT COUNT(*) AS n FROM api_calls`)).toBe(1);
    expect(count(r.db, `SELECT COUNT(*) AS n FROM instances`)).toBe(2);
    expect(fs.existsSync(path.join(r.dir, 'run/gen-a/math/instance/checkpoint'))).toBe(true);
  });

  it('redoes generation from scratch: instances, checkpoint (and its folder) and evaluation go, the ledger stays', async () => {
    const r = scoredRun();
    const { io: cli } = io(r.dir);
    expect(await main(['reset', 'gen-a', 'math/instance', '--stage', 'generate'], cli)).toBe(0);
    expect(r.db.prepare(`SELECT stage, state, checkpoint, accepted, cost_nano FROM cells`).get()).toEqual({
      stage: 'generate',
      state: 'pending',
      checkpoint: null,
      accepted: 0,
      cost_nano: 500,
    });
    expect(count(r.db, `SELECT COUNT(*) AS n FROM instances`)).toBe(0);
    expect(count(r.db, `SELECT COUNT(*) AS n FROM api_calls`)).toBe(1);
    expect(fs.existsSync(path.join(r.dir, 'run/gen-a/math/instance/checkpoint'))).toBe(false);
  });

  it('refuses with exit 2 while the cell has a running job, changing nothing', async () => {
    const r = scoredRun();
    r.db.prepare(`UPDATE cells SET stage = 'evaluate', state = 'running'`).run();
    r.db.prepare(`INSERT INTO jobs (cell_id, stage, attempt, state, runner, started_at) VALUES (?, 'evaluate', 1, 'running', 'process', 0)`).run(r.id);
    const { io: cli, out } = io(r.dir);
    expect(await main(['reset', 'gen-a', 'math/instance', '--stage', 'train'], cli)).toBe(2);
    expect(out.stderr).toMatch(/running evaluate job/);
    expect(r.db.prepare(`SELECT stage, state, checkpoint FROM cells`).get()).toEqual({ stage: 'evaluate', state: 'running', checkpoint: '/ckpt' });
    expect(count(r.db, `SELECT COUNT(*) AS n FROM eval_items WHERE subject = ?`, `cell:${r.id}`)).toBe(1);
  });

  it('refuses with exit 2 while a batch of the cell is at the provider, changing nothing', async () => {
    const r = scoredRun();
    r.db.prepare(`UPDATE cells SET stage = 'generate', state = 'cancelled'`).run();
    insertBatch(r.db, r.id, []);
    const { io: cli, out } = io(r.dir);
    expect(await main(['reset', 'gen-a', 'math/instance', '--stage', 'generate'], cli)).toBe(2);
    expect(out.stderr).toMatch(/has a batch at the provider .*retry the cell so generation collects it, then reset/);
    expect(count(r.db, `SELECT COUNT(*) AS n FROM instances WHERE cell_id = ?`, r.id)).toBeGreaterThan(0);
    closeBatch(r.db, 1, 'settled');
    expect(await main(['reset', 'gen-a', 'math/instance', '--stage', 'generate'], cli)).toBe(0);
    expect(count(r.db, `SELECT COUNT(*) AS n FROM instances WHERE cell_id = ?`, r.id)).toBe(0);
  });

  it('says what is wrong with its arguments, exit 2', async () => {
    const r = scoredRun();
    const { io: cli, out } = io(r.dir);
    expect(await main(['reset', 'gen-a', 'math/instance', '--stage', 'score'], cli)).toBe(2);
    expect(out.stderr).toMatch(/--stage must be one of generate, train, evaluate/);
    expect(await main(['reset', 'gen-z', 'math/instance', '--stage', 'train'], cli)).toBe(2);
    expect(out.stderr).toMatch(/no cell gen-z math\/instance/);
  });
});
