import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer, type FakeLlmServer } from './support/fake-llm-server.js';
import { runAgora, startAgora, waitFor } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';
import { readRunDb } from './support/read-run-db.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function setup(train: string) {
  const server = await startFakeLlmServer({ responder: agoraResponder() });
  cleanups.push(() => server.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  const config = (s: FakeLlmServer) => `
name: tr
instancesPerCell: 4
budget: { usd: 5 }
generators:
  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${s.openaiBaseURL}", price: { input: 1, output: 2 } }
settings: [math/response, code/response]
${train}
`;
  fs.writeFileSync(path.join(t.dir, 'sweep.yaml'), config(server));
  return t.dir;
}

interface StatusCell {
  setting: string;
  stage: string;
  state: string;
  error?: string;
  train?: { step: number; totalSteps: number; loss: number | null; checkpoint: string | null };
}

async function status(dir: string): Promise<StatusCell[]> {
  const r = await runAgora(['status', '--json', '--config', 'sweep.yaml'], { cwd: dir });
  return (JSON.parse(r.stdout) as { cells: StatusCell[] }).cells;
}

const FAKE = 'node test/fixtures/fake-trainer.mjs --progress-file {progress_file} --checkpoint {output_dir} --interval-ms 30';

describe('training stage through the conductor (fake trainer, real local runner)', () => {
  it('trains each generated cell as a background job and records steps, loss and the checkpoint', async () => {
    const dir = await setup(`train: { runner: local, gpus: 1, gpusPerJob: 1, gpuHourUsd: 2.0, command: "${FAKE} --steps 6" }`);
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate,train', '--config', 'sweep.yaml'], { cwd: dir });
    expect(r.stderr + r.stdout).toMatch(/all 2 cells finished train/);
    expect(r.code).toBe(0);
    for (const c of await status(dir)) {
      expect(c).toMatchObject({ stage: 'train', state: 'done' });
      expect(c.train).toMatchObject({ step: 6, totalSteps: 6, checkpoint: expect.stringContaining(path.join('oss', ...c.setting.split('/'), 'checkpoint')) });
      expect(typeof c.train?.loss).toBe('number');
    }
  });

  it('fails a trainer that exits non-zero with its cause, and retry restarts it', async () => {
    const dir = await setup(`train: { runner: local, gpus: 2, gpusPerJob: 1, command: "${FAKE} --steps 3 --exit-code 3" }`);
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate,train', '--config', 'sweep.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    const cells = await status(dir);
    for (const c of cells) expect(c).toMatchObject({ stage: 'train', state: 'failed', error: expect.stringMatching(/code 3/) });
    // Fix the command in the config and retry the failed cells: training runs again.
    const cfg = fs.readFileSync(path.join(dir, 'sweep.yaml'), 'utf8').replace(' --exit-code 3', '');
    fs.writeFileSync(path.join(dir, 'sweep.yaml'), cfg);
    const again = await runAgora(['run', '--no-tui', '--retry-failed', '--stages', 'generate,train', '--config', 'sweep.yaml'], { cwd: dir });
    expect(again.code).toBe(0);
    for (const c of await status(dir)) expect(c).toMatchObject({ stage: 'train', state: 'done' });
  });

  it('blocks training with the reason when there is no GPU and no Slurm, while generation still runs', async () => {
    const dir = await setup(`train: { runner: local, gpus: 0, gpusPerJob: 1 }`);
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate,train', '--config', 'sweep.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    for (const c of await status(dir)) expect(c).toMatchObject({ stage: 'train', state: 'blocked', error: expect.stringMatching(/no GPUs to train on/) });
  });

  it('pins two concurrent 1-GPU jobs to GPU 0 and GPU 1', async () => {
    const dir = await setup(
      `train: { runner: local, gpus: 2, gpusPerJob: 1, command: "${FAKE} --steps 2 --hold-at 1 --release {output_dir}.release --write-env {output_dir}.env" }`,
    );
    const run = startAgora(['run', '--no-tui', '--stages', 'generate,train', '--config', 'sweep.yaml'], { cwd: dir });
    const cells = ['math/response', 'code/response'].map((c) => path.join(dir, 'runs/tr/oss', c, 'checkpoint'));
    cleanups.push(async () => {
      // Whatever happened, the held trainers (detached) are let go and the conductor ends.
      for (const c of cells) if (fs.existsSync(path.dirname(c))) fs.writeFileSync(`${c}.release`, '');
      run.child.kill('SIGKILL');
      await run.done;
    });
    // Both jobs hold their GPU at once (each waits at step 1 for its release file).
    const envs = await waitFor(
      () =>
        cells.every((c) => fs.existsSync(`${c}.env`))
          ? cells.map((c) => JSON.parse(fs.readFileSync(`${c}.env`, 'utf8')) as { CUDA_VISIBLE_DEVICES: string | null })
          : undefined,
      'both trainers started',
    );
    expect(envs.map((e) => e.CUDA_VISIBLE_DEVICES).sort()).toEqual(['0', '1']);
    for (const c of cells) fs.writeFileSync(`${c}.release`, '');
    const r = await run.done;
    expect(r.code).toBe(0);
  });

  it('re-attaches to a training job still running after the conductor was killed -9', async () => {
    const dir = await setup(`train: { runner: local, gpus: 2, gpusPerJob: 1, command: "${FAKE} --steps 4 --hold-at 2 --release {output_dir}.release" }`);
    const first = startAgora(['run', '--no-tui', '--stages', 'generate,train', '--config', 'sweep.yaml'], { cwd: dir });
    const dbFile = path.join(dir, 'runs/tr/agora.db');
    const trainJobs = () => {
      return readRunDb(
        dbFile,
        (db) =>
          db.prepare(`SELECT id, state, handle_json FROM jobs WHERE stage = 'train'`).all() as Array<{ id: number; state: string; handle_json: string | null }>,
      );
    };
    await waitFor(() => ((trainJobs() ?? []).filter((j) => j.state === 'running' && j.handle_json).length === 2 ? true : undefined), 'two training jobs');
    first.child.kill('SIGKILL');
    await first.done;
    // The trainers go on without a conductor; let them finish, then start a new conductor.
    for (const c of ['math/response', 'code/response']) fs.writeFileSync(path.join(dir, 'runs/tr/oss', c, 'checkpoint.release'), '');
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate,train', '--config', 'sweep.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(trainJobs()).toHaveLength(2);
    for (const c of await status(dir)) expect(c).toMatchObject({ stage: 'train', state: 'done', train: { step: 4 } });
  });
});
