import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { tempDir } from './support/temp-run.js';
import { TtySession } from './support/tty-session.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('keys typed while the dashboard starts', () => {
  it('are kept and acted on once it is up', async () => {
    const server = await startFakeLlmServer({ responder: agoraResponder(), latencyMs: 20 });
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    fs.writeFileSync(
      path.join(t.dir, 'sweep.yaml'),
      `name: early\ninstancesPerCell: 2\nbudget: { usd: 5 }\ngenerators:\n  - { id: local-oss, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", price: { input: 1, output: 2 }, concurrency: 1 }\nsettings: [math/instance, code/response]\n`,
    );
    const s = new TtySession(['--config', 'sweep.yaml', '--stages', 'generate'], { cwd: t.dir });
    cleanups.push(() => {
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
    });
    // `l` then Enter: the second cell's detail. Typed before anything is on screen (the
    // process has not even loaded its code yet), they arrive together once it reads them.
    s.press('l\r');
    await s.waitForText(/agora · early/, 'the header');
    await s.waitForText(/Timeline/, 'the detail view the early keys asked for', 30_000);
    expect(s.text).toMatch(/local-oss · code\/response/);
    s.press('q');
    expect(await s.exited).toBe(0);
  });
});
