import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJobTimes } from '../src/adapters/runners/job-files.js';
import { usdToNano } from '../src/core/cost.js';
import { parseTrainHandle } from '../src/store/job-handle-json.js';
import { gpuCostUsd } from '../src/core/train/gpu-accounting.js';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { runAgora, startAgora, waitFor } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';
import { readRunDb } from './support/read-run-db.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const FAKE = 'node test/fixtures/fake-trainer.mjs --progress-file {progress_file} --checkpoint {output_dir} --interval-ms 30';

describe('GPU cost of a training job', () => {
  it('is its own run time when it ended while no conductor was watching', async () => {
    const server = await startFakeLlmServer({ responder: agoraResponder() });
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    const dir = t.dir;
    fs.writeFileSync(
      path.join(dir, 'sweep.yaml'),
      `name: gc\ninstancesPerCell: 3\nbudget: { usd: 5 }\ngenerators:\n  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", price: { input: 1, output: 2 } }\nsettings: [math/response]\ntrain: { runner: local, gpus: 2, gpusPerJob: 2, gpuHourUsd: 3.6, command: "${FAKE} --steps 3 --hold-at 1 --release {output_dir}.release" }\n`,
    );
    const dbFile = path.join(dir, 'runs/gc/agora.db');
    const job = () => {
      return readRunDb(
        dbFile,
        (db) =>
          db.prepare(`SELECT id, state, handle_json, gpu_cost_nano FROM jobs WHERE stage = 'train'`).get() as
            { id: number; state: string; handle_json: string | null; gpu_cost_nano: number } | undefined,
      );
    };
    const first = startAgora(['run', '--no-tui', '--stages', 'generate,train', '--config', 'sweep.yaml'], { cwd: dir });
    const running = await waitFor(() => {
      const j = job();
      return j?.state === 'running' && j.handle_json ? j : undefined;
    }, 'the training job');
    first.child.kill('SIGKILL');
    await first.done;
    // The trainer finishes with no conductor watching; a new one comes (seconds) later.
    const handle = parseTrainHandle(running.handle_json!, running.id);
    fs.writeFileSync(path.join(dir, 'runs/gc/oss/math/response/checkpoint.release'), '');
    await waitFor(() => (fs.existsSync(handle.exitFile) ? true : undefined), 'the trainer to exit');
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate,train', '--config', 'sweep.yaml'], { cwd: dir });
    expect(r.code).toBe(0);

    const times = await readJobTimes(handle.exitFile);
    expect(times.startedAt).toBeDefined();
    expect(times.endedAt).toBeDefined();
    const ended = job()!;
    expect(ended.state).toBe('done');
    // Two GPUs at $3.60 an hour from the trainer's start to its end: not to the late poll.
    expect(ended.gpu_cost_nano).toBe(usdToNano(gpuCostUsd(2, times.startedAt!, times.endedAt!, 3.6)));
    const status = JSON.parse((await runAgora(['status', '--json', '--config', 'sweep.yaml'], { cwd: dir })).stdout) as {
      cells: Array<{ gpuCostUsd?: number }>;
    };
    expect(status.cells[0]?.gpuCostUsd).toBeCloseTo(gpuCostUsd(2, times.startedAt!, times.endedAt!, 3.6), 9);
  });
});
