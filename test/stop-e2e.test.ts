import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../src/engine/process-liveness.js';
import { openStore } from '../src/store/open-store.js';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { runAgora, startAgora } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

interface StatusCell {
  setting: string;
  stage: string;
  state: string;
}

async function setup(extra: string, settings: string) {
  const server = await startFakeLlmServer({ responder: agoraResponder(), latencyMs: 10 });
  cleanups.push(() => server.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  fs.writeFileSync(
    path.join(t.dir, 'sweep.yaml'),
    `name: stop\ninstancesPerCell: 3\nseedSets: bundled\nbudget: { usd: 5 }\ngenerators:\n  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", price: { input: 1, output: 2 }, concurrency: 1 }\nsettings: [${settings}]\n${extra}`,
  );
  const status = async (): Promise<StatusCell[]> => {
    const r = await runAgora(['status', '--json', '--config', 'sweep.yaml'], { cwd: t.dir });
    // Before the conductor has made the run folder, there is nothing to show yet.
    return r.code === 0 ? (JSON.parse(r.stdout) as { cells: StatusCell[] }).cells : [];
  };
  cleanups.push(async () => void (await runAgora(['stop', '--config', 'sweep.yaml', '--wait-seconds', '10'], { cwd: t.dir })));
  return { server, dir: t.dir, status, dbFile: path.join(t.dir, 'runs/stop/agora.db') };
}

describe('agora stop', () => {
  it('with no conductor open, stops a training job and shows its cell cancelled, not running', async () => {
    const trainer = 'node test/fixtures/fake-trainer.mjs --progress-file {progress_file} --checkpoint {output_dir} --steps 2000 --interval-ms 100';
    const { dir, status } = await setup(`train: { runner: local, gpus: 1, gpusPerJob: 1, command: "${trainer}" }\n`, 'math/instance');
    const conductor = startAgora(['run', '--no-tui', '--stages', 'generate,train', '--config', 'sweep.yaml'], { cwd: dir });
    let training = false;
    for (const until = Date.now() + 120_000; !training && Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      training = (await status()).some((c) => c.stage === 'train' && c.state === 'running');
    }
    expect(training).toBe(true);
    conductor.child.kill('SIGKILL');
    await conductor.done;
    const r = await runAgora(['stop', '--config', 'sweep.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stopped 1 of 1 job; 1 cell is cancelled/);
    expect(await status()).toEqual([expect.objectContaining({ stage: 'train', state: 'cancelled' })]);
  });

  it('with a conductor open, the run stops: nothing new starts, and the conductor says why', async () => {
    const { server, dir, status } = await setup('generation: { maxWorkers: 1 }\n', 'math/instance, code/instance, inst/instance');
    // Answers that do not come keep the first cell running until the stop comes, however long
    // a loaded machine takes to start \`agora stop\` (800 ms answers let the cell finish first).
    server.setLatency(60_000);
    const conductor = startAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
    let running = false;
    for (const until = Date.now() + 120_000; !running && Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      running = (await status()).some((c) => c.state === 'running');
    }
    expect(running).toBe(true);
    const r = await runAgora(['stop', '--config', 'sweep.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 cell is cancelled/);
    const done = await conductor.done;
    expect(done.stdout).toMatch(/stopped by agora stop/);
    expect(done.code).toBe(1);
    const states = (await status()).map((c) => c.state).sort();
    expect(states).toEqual(['cancelled', 'pending', 'pending']);
    // Starting it again takes up where it stopped, the cancelled cell included.
    server.setLatency(0);
    const again = await runAgora(['run', '--no-tui', '--stages', 'generate', '--retry-failed', '--config', 'sweep.yaml'], { cwd: dir });
    expect(again.code).toBe(0);
    expect((await status()).every((c) => c.state === 'done')).toBe(true);
  });

  it('never signals a PID that is no longer its worker', async () => {
    const { dir, dbFile, status } = await setup('', 'math/instance');
    expect((await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir })).code).toBe(0);
    // Then, as the store sees it, a worker is running whose PID now belongs to an unrelated
    // process (the worker died long ago and the PID was recycled).
    const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
    cleanups.push(() => void stranger.kill('SIGKILL'));
    const db = openStore(dbFile);
    try {
      const cell = db.prepare(`SELECT id FROM cells`).get() as { id: number };
      db.prepare(`UPDATE cells SET state = 'running' WHERE id = ?`).run(cell.id);
      db.prepare(
        `INSERT INTO jobs (cell_id, stage, attempt, state, runner, pid, started_at, heartbeat_at) VALUES (?, 'generate', 1, 'running', 'process', ?, ?, ?)`,
      ).run(cell.id, stranger.pid, Date.now(), Date.now());
    } finally {
      db.close();
    }
    const r = await runAgora(['stop', '--config', 'sweep.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(isProcessAlive(stranger.pid)).toBe(true);
    expect(await status()).toEqual([expect.objectContaining({ state: 'cancelled' })]);
  });
});
