import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { tempDir } from './support/temp-run.js';
import { TtySession } from './support/tty-session.js';

// The analyses view in the real dashboard: the key a loads the analyses (and their linear
// algebra, imported on that first press) from the run's store, and a again goes back.
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('the analyses view in a real terminal', () => {
  it('opens on a, computed from the store, and closes on a', async () => {
    const server = await startFakeLlmServer({ responder: agoraResponder() });
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    fs.writeFileSync(
      path.join(t.dir, 'sweep.yaml'),
      `name: tty\ninstancesPerCell: 4\nbudget: { usd: 5 }\ngenerators:\n  - { id: local-oss, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", price: { input: 1, output: 2 } }\nsettings: [math/instance]\n`,
    );
    const s = new TtySession(['--config', 'sweep.yaml', '--stages', 'generate'], { cwd: t.dir });
    cleanups.push(async () => {
      if (s.child.exitCode === null) {
        s.press('q');
        await Promise.race([s.exited, new Promise((r) => setTimeout(r, 5000))]);
        s.child.kill('SIGKILL');
      }
    });
    await s.waitForText(/1 done/, 'the cell to finish');
    s.mark();
    s.press('a');
    await s.waitForText(/Analyses: what makes a good data generator/, 'the analyses view');
    // No metrics stage ran: the view says so instead of showing numbers.
    await s.waitForText(/not computed: no intrinsic metrics computed in any cell/, 'the PCA saying why it is empty');
    s.mark();
    s.press('a');
    await s.waitForText(/a analyses/, "the matrix's footer again");
    s.press('q');
    expect(await s.exited).toBe(0);
  }, 180_000);
});
