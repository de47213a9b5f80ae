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
    const env = { AGORA_CACHE_DIR: path.join(t.dir, 'cache'), AGORA_HF_ENDPOINT: 'http://127.0.0.1:9' };
    const config = path.join(REPO_ROOT, 'agora.config.yaml');
    const r = await runAgora(['plan', '--json', '--config', config], { cwd: t.dir, env });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { cells: Array<{ setting: string; target: number }>; unavailableSeeds: Record<string, string>; seedNotes: Record<string, string> };
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
});
