import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { planCommand } from '../src/cli/commands/plan.js';
import { storePlan, planSweep } from '../src/cli/plan-store.js';
import { loadConfigFile } from '../src/config/load-config.js';
import { openStore } from '../src/store/open-store.js';
import { syncRunFromConfig } from '../src/store/run-repo.js';
import type { PlanBreakdown } from '../src/core/plan-breakdown.js';
import { tempDir } from './support/temp-run.js';

// Issue 12: `agora plan` prints each cost component on its own line against the budget and
// each cap, and stores the breakdown beside its total (run_meta.plan_json).

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanups.splice(0).reverse()) f();
});

function sweep(extra: string): { dir: string; file: string } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const file = path.join(t.dir, 'sweep.yaml');
  fs.writeFileSync(
    file,
    `name: parts
instancesPerCell: 100
budget: { usd: 50, perGenerator: { big: 40 } }
generators:
  - { id: big, provider: openai-compatible, model: m, baseURL: "http://127.0.0.1:9/v1", price: { input: 2, output: 8 } }
  - { id: cheap, provider: openai-compatible, model: m, baseURL: "http://127.0.0.1:9/v1", price: { input: 2, output: 8 }, batch: true }
settings: [inst/instance, inst/response, math/response]
train: { gpusPerJob: 2, gpuHourUsd: 3 }
${extra}`,
  );
  return { dir: t.dir, file };
}

async function planText(dir: string): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const code = await planCommand(['--config', 'sweep.yaml'], { stdout: out, stderr: new PassThrough(), env: process.env, cwd: dir });
  expect(code).toBe(0);
  return text;
}

const JUDGE = `evaluate:
  judge: { generator: big }
  baselines: { base: { checkpoint: meta-llama/Llama-3.1-8B }, reference: { scores: paper } }
`;

describe('agora plan, component by component', () => {
  it('charges the judge to its generator cap, plans a batch generator at half price, and prices GPU hours', async () => {
    const s = sweep(JUDGE);
    const plan = await planSweep(loadConfigFile(s.file), s.dir);
    const b = plan.breakdown;
    const cell = (g: string, setting: string) => b.cells.find((c) => c.generator === g && c.setting === setting)!;
    // Same price and seeds: the batch generator's generation costs half.
    expect(cell('cheap', 'inst/instance').generation.expected).toBeCloseTo(cell('big', 'inst/instance').generation.expected / 2, 9);
    // Response generation has output to pay for (it planned 0 tokens out before).
    expect(plan.cells.find((c) => c.generator === 'big' && c.setting === 'math/response')!.plan.expected.tokensOut).toBeGreaterThan(0);
    expect(cell('big', 'inst/response').judgeCalls).toBe(805 + 1000);
    expect(cell('big', 'math/response').judgeCalls).toBe(0);
    expect(b.judgeGenerator).toBe('big');
    expect(b.baselineSubjects.map((x) => x.subject)).toEqual(['base']);
    for (const c of b.cells) {
      expect(c.gpuHours!.train.expected).toBeGreaterThan(0);
      expect(c.gpu.expected).toBeCloseTo(3 * (c.gpuHours!.train.expected + c.gpuHours!.evaluate.expected), 9);
    }

    const text = await planText(s.dir);
    expect(text).toMatch(/^generation: \$.* \(batch API at half price: cheap\)$/m);
    expect(text).toMatch(/^judge \(big\): \$[\d.,]+ \/ \$[\d.,]+ \/ \$[\d.,]+; 7220 calls for 4 instruction-following cells/m);
    expect(text).toMatch(/^GPU train: [\d.]+ \/ [\d.]+ \/ [\d.]+ GPU h = \$.* at \$3.00\/GPU h$/m);
    expect(text).toMatch(/^GPU evaluate: /m);
    expect(text).toMatch(/^baselines: .*base: judge \$/m);
    // The judge's calls count against big's cap: generation + judge.
    expect(text).toMatch(/^big: .*\(generation \$[\d.,]+ \+ judge \$[\d.,]+\) against its cap \$40.00/m);
    expect(text).toMatch(/^cheap: \$[\d.,]+ \/ /m);
    expect(text).toMatch(/^API calls: .* against the budget \$50.00/m);
    expect(text).toMatch(/^total: .*\(API calls and GPU time; the budget caps API calls only\)$/m);
  });

  it('says when instruction-following cells have no judge to plan', async () => {
    const s = sweep('');
    const plan = await planSweep(loadConfigFile(s.file), s.dir);
    expect(plan.judgeMissing).toMatch(/evaluate.judge is not configured/);
    expect(plan.breakdown.judge).toEqual({ low: 0, expected: 0, high: 0 });
    expect(await planText(s.dir)).toMatch(/^judge: not planned: evaluate.judge is not configured/m);
  });

  it('stores the total with its breakdown in run_meta.plan_json', async () => {
    const s = sweep(JUDGE);
    const config = loadConfigFile(s.file);
    const plan = await planSweep(config, s.dir);
    const db = openStore(path.join(s.dir, 'agora.db'));
    cleanups.push(() => void db.close());
    syncRunFromConfig(db, config);
    storePlan(db, plan);
    const row = db.prepare(`SELECT value FROM run_meta WHERE key = 'plan_json'`).get() as { value: string };
    const stored = JSON.parse(row.value) as { low: number; expected: number; high: number; breakdown: PlanBreakdown };
    expect(stored.breakdown.total).toEqual({ low: stored.low, expected: stored.expected, high: stored.high });
    const b = stored.breakdown;
    expect(stored.expected).toBeCloseTo(b.generation.expected + b.judge.expected + b.gpu.expected + b.baselines.expected, 9);
    expect(b.judge.expected).toBeGreaterThan(0);
    expect(b.gpu.expected).toBeGreaterThan(0);
    expect(b.cells).toHaveLength(6);
  });
});
