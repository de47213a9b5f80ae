import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgora } from './support/run-cli.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';

// Issue 9: in the default sweep (agora.config.yaml, the paper's seed sets) code/instance was
// blocked for good, since the xP3x code subset cannot be downloaded. It now runs on MBPP
// train, and `agora plan` says how that differs from the paper and how to add the rest.

const SHARED = path.resolve(REPO_ROOT, '../shared/data');
const hasMbpp = fs.existsSync(path.join(SHARED, 'mbpp/mbpp.jsonl'));
if (!hasMbpp) console.warn(`[default-sweep-plan] ${SHARED}/mbpp is absent: skipping the default sweep's code/instance plan`);

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanups.splice(0).reverse()) f();
});

describe.skipIf(!hasMbpp)('the default sweep', () => {
  it('plans code/instance on MBPP train instead of blocking it, and says how it differs from the paper', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const env = { AGORA_CACHE_DIR: path.join(t.dir, 'cache'), AGORA_HF_ENDPOINT: 'http://127.0.0.1:9', AGORA_HF_HUB_ENDPOINT: 'http://127.0.0.1:9' };
    const config = path.join(REPO_ROOT, 'agora.config.yaml');
    const r = await runAgora(['plan', '--json', '--config', config], { cwd: t.dir, env });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      cells: Array<{ setting: string; target: number }>;
      unavailableSeeds: Record<string, string>;
      seedNotes: Record<string, string>;
    };
    expect(Object.keys(plan.unavailableSeeds)).not.toContain('code/instance');
    // Sets on disk in ../shared/data are not blocked either; the rest say how to get them.
    for (const s of ['math/instance', 'inst/instance']) expect(Object.keys(plan.unavailableSeeds)).not.toContain(s);
    // CoNaLa's curated split is on disk, but the paper's 10,000 need the mined rows downloaded too.
    expect(plan.unavailableSeeds['code/quality']).toMatch(/agora seeds fetch/);
    for (const why of Object.values(plan.unavailableSeeds)) expect(why).toMatch(/agora seeds fetch/);
    expect(plan.cells.filter((c) => c.setting === 'code/instance').map((c) => c.target)).toEqual(Array(6).fill(10_000));
    expect(plan.seedNotes['code/instance']).toMatch(/MBPP train alone \(374 of the paper's 874 items\).*seeds: \{ code\/instance:/);

    const text = await runAgora(['plan', '--config', config], { cwd: t.dir, env });
    expect(text.stdout).toMatch(/^code\/instance: differs from the paper: without xP3x \(code subset\)/m);
  });

  // Issue 12: the paper's sweep judges AlpacaEval 2.0 (805 items) and Arena-Hard (500 items in
  // two orders) for each of its 18 instruction-following cells and both evaluated baselines,
  // with gpt-4-1106-preview; the plan used to count generation only.
  it('plans the judge for every instruction-following cell and both baselines, and GPU hours, each as its own line', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const env = { AGORA_CACHE_DIR: path.join(t.dir, 'cache'), AGORA_HF_ENDPOINT: 'http://127.0.0.1:9', AGORA_HF_HUB_ENDPOINT: 'http://127.0.0.1:9' };
    const config = path.join(REPO_ROOT, 'agora.config.yaml');
    const r = await runAgora(['plan', '--json', '--config', config], { cwd: t.dir, env });
    expect(r.code, r.stderr).toBe(0);
    type R = { low: number; expected: number; high: number };
    const plan = JSON.parse(r.stdout) as {
      total: R;
      breakdown: {
        total: R;
        generation: R;
        judge: R;
        gpu: R;
        baselines: R;
        cells: Array<{ generator: string; setting: string; judge: R; judgeCalls?: number }>;
        baselineSubjects: Array<{ subject: string; judge: R }>;
      };
    };
    const b = plan.breakdown;
    const inst = b.cells.filter((c) => c.setting.startsWith('inst/'));
    expect(inst).toHaveLength(18);
    for (const c of inst) {
      expect(c.judgeCalls).toBe(805 + 1000);
      expect(c.judge.low).toBeGreaterThan(0);
      expect(c.judge.low).toBeLessThanOrEqual(c.judge.expected);
      expect(c.judge.expected).toBeLessThanOrEqual(c.judge.high);
    }
    for (const c of b.cells.filter((x) => !x.setting.startsWith('inst/'))) expect(c.judge).toEqual({ low: 0, expected: 0, high: 0 });
    // gpt-4-1106-preview at $10/$30 per 1M: each cell's 1,805 judge calls cost tens of dollars.
    const perCell = inst[0]!.judge.expected;
    expect(perCell).toBeGreaterThan(20);
    expect(perCell).toBeLessThan(200);
    expect(b.baselineSubjects.map((s) => s.subject).sort()).toEqual(['base', 'reference']);
    for (const s of b.baselineSubjects) {
      expect(s.judge.expected).toBeGreaterThan(20);
      expect(s.judge.expected).toBeLessThan(200);
    }
    // The total is every component, and the top-level figures are that total.
    for (const k of ['low', 'expected', 'high'] as const) {
      expect(b.total[k]).toBeCloseTo(b.generation[k] + b.judge[k] + b.gpu[k] + b.baselines[k], 6);
      expect(plan.total[k]).toBeCloseTo(b.total[k], 6);
    }
    expect(b.judge.expected).toBeCloseTo(
      inst.reduce((n, c) => n + c.judge.expected, 0),
      6,
    );

    const text = await runAgora(['plan', '--config', config], { cwd: t.dir, env });
    expect(text.stdout).toMatch(/^judge \(judge-gpt-4-turbo\): .*\$.* \/ .*\$.* \/ .*\$/m);
    expect(text.stdout).toMatch(/^generation: /m);
    expect(text.stdout).toMatch(/^GPU .*train/m);
    expect(text.stdout).toMatch(/^baselines: /m);
  });
});
