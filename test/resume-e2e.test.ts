import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../src/engine/process-liveness.js';
import { openStore } from '../src/store/open-store.js';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { runAgora, startAgora, waitFor } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';
import { readRunDb } from './support/read-run-db.js';

const N = 120;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function setup() {
  const server = await startFakeLlmServer({ responder: agoraResponder({ badEvery: 7 }), latencyMs: 25 });
  cleanups.push(() => server.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  fs.writeFileSync(
    path.join(t.dir, 'sweep.yaml'),
    `name: resume\ninstancesPerCell: ${N}\nbudget: { usd: 100 }\ngenerators:\n  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", price: { input: 1, output: 2 }, concurrency: 6 }\nsettings: [math/instance, code/response]\n`,
  );
  return { server, dir: t.dir, dbFile: path.join(t.dir, 'runs/resume/agora.db') };
}

const accepted = (file: string) =>
  readRunDb(file, (db) => (db.prepare(`SELECT accepted FROM cells WHERE setting = 'math/instance'`).get() as { accepted: number }).accepted) ?? 0;
// The conductor writes a job's row before it spawns the worker and then its PID: a row read in
// between has pid NULL, which is "not yet", never a PID to wait on (waiting on NULL was this
// file's flaky re-attach test: no job row ever matched it).
const workerPid = (file: string) =>
  readRunDb(
    file,
    (db) =>
      (
        db.prepare(`SELECT pid FROM jobs j JOIN cells c ON c.id = j.cell_id WHERE c.setting = 'math/instance' AND j.state = 'running'`).get() as
          { pid: number | null } | undefined
      )?.pid ?? undefined,
  );

function checkInvariants(file: string) {
  const db = openStore(file, { readonly: true });
  try {
    const cells = db.prepare(`SELECT id, setting, state, accepted, target FROM cells`).all() as Array<{
      id: number;
      setting: string;
      state: string;
      accepted: number;
      target: number;
    }>;
    for (const c of cells) {
      expect(c.state).toBe('done');
      expect(c.accepted).toBe(c.target);
      const rows = db
        .prepare(
          `SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS seqs, MIN(seq) AS lo, MAX(seq) AS hi, COUNT(DISTINCT instruction_key) AS keys FROM instances WHERE cell_id = ?`,
        )
        .get(c.id) as Record<string, number>;
      expect(rows).toEqual({ n: c.target, seqs: c.target, lo: 1, hi: c.target, keys: c.target });
    }
    const ledger = db.prepare(`SELECT spent_nano, reserved_nano FROM ledger WHERE scope = '*'`).get() as { spent_nano: number; reserved_nano: number };
    expect(ledger.reserved_nano).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM reservations`).get()).toEqual({ n: 0 });
    expect((db.prepare(`SELECT SUM(cost_nano) AS s FROM api_calls`).get() as { s: number }).s).toBe(ledger.spent_nano);
    // Every settled call, including the orphaned ones, is charged to its cell.
    expect((db.prepare(`SELECT SUM(cost_nano) AS s FROM cells`).get() as { s: number }).s).toBe(ledger.spent_nano);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE state = 'running'`).get()).toEqual({ n: 0 });
  } finally {
    db.close();
  }
}

describe('kill -9 and resume', () => {
  it('a killed worker loses only its in-flight requests; the next run finishes with exactly N', async () => {
    const { dir, dbFile } = await setup();
    const first = startAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
    await waitFor(() => (accepted(dbFile) >= 20 ? true : undefined), 'some accepted instances');
    const pid = await waitFor(() => workerPid(dbFile), 'the worker pid');
    process.kill(pid, 'SIGKILL');
    const r1 = await first.done;
    expect(r1.code).toBe(1);
    expect(r1.stdout).toMatch(/failed/);
    const r2 = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
    expect(r2.stderr).toMatch(/resuming 1 cell/);
    expect(r2.code).toBe(0);
    checkInvariants(dbFile);
  });

  it('killing the conductor and its worker together loses nothing either', async () => {
    const { dir, dbFile } = await setup();
    const first = startAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
    await waitFor(() => (accepted(dbFile) >= 20 ? true : undefined), 'some accepted instances');
    const pid = await waitFor(() => workerPid(dbFile), 'the worker pid');
    first.child.kill('SIGKILL');
    process.kill(pid, 'SIGKILL');
    await first.done;
    await waitFor(() => (isProcessAlive(pid) ? undefined : true), 'the worker to be gone');
    const before = accepted(dbFile);
    expect(before).toBeLessThan(N);
    const r2 = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
    expect(r2.code).toBe(0);
    checkInvariants(dbFile);
  });

  it('a killed conductor leaves its workers running; a new one re-attaches instead of starting a second worker', async () => {
    const { dir, dbFile } = await setup();
    const first = startAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
    const pid = await waitFor(() => workerPid(dbFile), 'the worker pid');
    const log = path.join(dir, 'runs/resume/oss/math/instance/generate.log');
    await waitFor(() => (fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('started, pid') ? true : undefined), 'the worker to start');
    first.child.kill('SIGKILL');
    const r1 = await first.done;
    // With no conductor left, the worker carries its cell to the end on its own.
    const jobState = () => readRunDb(dbFile, (db) => (db.prepare(`SELECT state FROM jobs WHERE pid = ?`).get(pid) as { state: string } | undefined)?.state);
    // One read per check: a read that fails (readRunDb answers undefined) must not count as
    // "no longer running" and then be answered by a second read that says "running".
    const ended = await waitFor(() => {
      const s = jobState();
      return s !== undefined && s !== 'running' ? s : undefined;
    }, 'the orphaned worker to finish its cell');
    expect(ended, `pid ${pid}; ${r1.stderr}\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : 'no log'}`).toBe('done');
    const r2 = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
    expect(r2.code).toBe(0);
    // The surviving worker finished its cell: no second job was started for it.
    const jobs = readRunDb(dbFile, (db) =>
      db.prepare(`SELECT COUNT(*) AS n FROM jobs j JOIN cells c ON c.id = j.cell_id WHERE c.setting = 'math/instance'`).get(),
    );
    expect(jobs).toEqual({ n: 1 });
    checkInvariants(dbFile);
  });

  it('refuses to start a second conductor on the same run folder', async () => {
    const { server, dir, dbFile } = await setup();
    // Slow answers keep the first conductor busy for the whole test, however loaded the machine.
    server.setLatency(1500);
    const first = startAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
    cleanups.push(async () => {
      first.child.kill('SIGINT');
      await first.done;
      // Quitting only detaches: stop the workers it left, so nothing outlives the test.
      const pid = workerPid(dbFile);
      await runAgora(['stop', '--config', 'sweep.yaml'], { cwd: dir });
      if (pid) await waitFor(() => (isProcessAlive(pid) ? undefined : true), 'the worker to stop');
    });
    await waitFor(() => workerPid(dbFile), 'the first conductor to start a worker');
    const second = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already conducting/);
    // Plain `agora` without a TTY watches read-only instead, printing the same lines.
    const viewer = startAgora(['--config', 'sweep.yaml'], { cwd: dir });
    let out = '';
    viewer.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(
      () => (/read-only: agora \(pid \d+\) is conducting/.test(out) && /oss math\/instance generate \w+/.test(out) ? true : undefined),
      'the read-only viewer',
    );
    viewer.child.kill('SIGINT');
    expect((await viewer.done).code).toBe(0);
  }, 150_000);
});
