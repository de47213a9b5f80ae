import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { runAgora } from './support/run-cli.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';

const SHARED = path.resolve(REPO_ROOT, '../shared/data');
const hasShared = fs.existsSync(path.join(SHARED, 'gsm8k/train.jsonl'));
if (!hasShared) console.warn(`[paper-seeds-e2e] ${SHARED} is absent: skipping the paper seed-set run`);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe.skipIf(!hasShared)('seedSets: paper', () => {
  it('uses the full local sets where they are at hand and blocks settings whose set is missing', async () => {
    const server = await startFakeLlmServer({ responder: agoraResponder() });
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    fs.writeFileSync(
      path.join(t.dir, 'sweep.yaml'),
      `name: paper\ninstancesPerCell: 3\nbudget: { usd: 5 }\nseedSets: paper\ngenerators:\n  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", price: { input: 1, output: 2 } }\nsettings: [math/instance, math/response]\n`,
    );
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], {
      cwd: t.dir,
      env: { AGORA_HF_ENDPOINT: 'http://127.0.0.1:9', AGORA_HF_HUB_ENDPOINT: 'http://127.0.0.1:9', AGORA_CACHE_DIR: path.join(t.dir, 'cache') },
    });
    expect(r.code).toBe(1);
    const status = JSON.parse((await runAgora(['status', '--json', '--config', 'sweep.yaml'], { cwd: t.dir })).stdout) as {
      cells: Array<Record<string, unknown>>;
    };
    expect(status.cells).toEqual([
      expect.objectContaining({ setting: 'math/instance', state: 'done', accepted: 3 }),
      expect.objectContaining({ setting: 'math/response', state: 'blocked', error: expect.stringMatching(/seed set is not at hand.*agora seeds fetch/) }),
    ]);
    // Instance generation trains on the paper's seed set: GSM8K train + MATH train.
    const train = fs.readFileSync(path.join(t.dir, 'runs/paper/oss/math/instance/train.jsonl'), 'utf8').trim().split('\n');
    expect(train.length).toBeGreaterThan(14_000);
  });
});
