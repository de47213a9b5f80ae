import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { runAgora } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';
import { TtySession } from './support/tty-session.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function setup(settings: string) {
  const server = await startFakeLlmServer({ responder: agoraResponder(), latencyMs: 20 });
  cleanups.push(() => server.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  fs.writeFileSync(
    path.join(t.dir, 'sweep.yaml'),
    `name: tty\ninstancesPerCell: 6\nbudget: { usd: 5 }\ngenerators:\n  - { id: local-oss, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", price: { input: 1, output: 2 }, concurrency: 1 }\nsettings: [${settings}]\n`,
  );
  return { server, dir: t.dir };
}

function session(dir: string) {
  const s = new TtySession(['--config', 'sweep.yaml', '--stages', 'generate'], { cwd: dir });
  cleanups.push(async () => {
    if (s.child.exitCode === null) {
      s.press('q');
      await Promise.race([s.exited, new Promise((r) => setTimeout(r, 5000))]);
      s.child.kill('SIGKILL');
    }
  });
  return s;
}

const statusJson = async (dir: string) =>
  JSON.parse((await runAgora(['status', '--json', '--config', 'sweep.yaml'], { cwd: dir })).stdout) as { cells: unknown[] };

describe('the dashboard in a real terminal', () => {
  it('shows cells finishing, quits detached, and reopens on the same state', async () => {
    const { dir } = await setup('math/instance, code/response');
    const first = session(dir);
    await first.waitForText(/agora · tty/, 'the header');
    await first.waitForText(/2 done/, 'both cells to finish');
    first.mark();
    first.press('q');
    expect(await first.exited).toBe(0);
    expect(first.text).toMatch(/detached: 0 jobs go on in the background/);
    const before = await statusJson(dir);

    const second = session(dir);
    await second.waitForText(/2 done/, 'the reopened dashboard to show the finished cells');
    expect(second.text).toMatch(/✓G 6\/6/);
    second.press('q');
    expect(await second.exited).toBe(0);
    expect(await statusJson(dir)).toEqual(before);
  });

  it('r on a failed cell re-queues it in the store and a worker finishes it', async () => {
    const { server, dir } = await setup('inst/response');
    // A 400 is not retried: the only request of the cell's first attempt fails it.
    server.inject({ kind: 'status', status: 400, message: 'bad request for the test' });
    const s = session(dir);
    await s.waitForText(/1 failed/, 'the cell to fail');
    expect((await statusJson(dir)).cells).toEqual([expect.objectContaining({ state: 'failed', error: expect.stringMatching(/bad-request/) })]);
    s.mark();
    s.press('r');
    await s.waitForText(/1 done/, 'the retried cell to finish');
    s.press('q');
    expect(await s.exited).toBe(0);
    expect((await statusJson(dir)).cells).toEqual([expect.objectContaining({ state: 'done', accepted: 6, target: 6 })]);
  });
});
