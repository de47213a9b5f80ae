import { afterEach, describe, expect, it } from 'vitest';
import { runAgora } from './support/run-cli.js';
import { standInSweep } from './support/stand-in-sweep.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('agora run --no-tui warns before a cap is reached (issue 12)', () => {
  it('says when the projection passes the cap, then each threshold spending crosses, once each', async () => {
    const t = await standInSweep(
      cleanups,
      (server) => `
name: e2e
instancesPerCell: 50
budget: { usd: 5, perGenerator: { pricey: 0.5 } }
generation: { maxTokens: 256 }
generators:
  - { id: pricey, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", price: { input: 30, output: 60 }, concurrency: 4 }
settings: [math/instance, code/instance]
`,
    );
    const configFile = t.configFile;
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', configFile], { cwd: t.dir });
    expect(r.stdout).toMatch(/budget-exhausted/);
    const warnings = r.stdout.split('\n').filter((l) => l.includes(' warning: cap of pricey: '));
    // Before spending much, the projection (the plan's, then the measured rate) already passes the cap.
    expect(warnings[0]).toMatch(/projected \$[\d.]+ passes it/);
    // Spending then crosses 80% (the cells stop when a request's worst case no longer fits).
    const pct = warnings.filter((l) => / \d+% used /.test(l)).map((l) => Number(/ (\d+)% used /.exec(l)![1]));
    expect(pct.length).toBeGreaterThan(0);
    expect(pct[0]).toBeGreaterThanOrEqual(80);
    // Once per threshold crossing, not every tick: the thresholds said go up and never repeat.
    const thresholds = pct.map((p) => (p >= 100 ? 100 : p >= 95 ? 95 : 80));
    expect(new Set(thresholds).size).toBe(thresholds.length);
    expect([...thresholds].sort((a, b) => a - b)).toEqual(thresholds);
    expect(new Set(warnings.map((l) => l.slice(9))).size).toBe(warnings.length);
  });
});
