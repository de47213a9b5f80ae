import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../adapters/datasets/paths.js';
import { startFakeDatasetsServer, type FakeDatasetsServer } from '../../adapters/datasets/testing/fake-datasets-server.js';
import { UsageError } from '../args.js';
import { loadSeedManifest } from '../../adapters/datasets/manifest.js';
import { loadSeedItems } from '../../adapters/datasets/load-seeds.js';
import { seedsCommand } from './seeds.js';

const rows = [1, 2, 3].map((i) => ({
  question: `q${i}`,
  answer: `a\n#### ${i}`,
  problem: `p${i}`,
  solution: `\\boxed{${i}}`,
  text: `t${i}`,
  code: 'x = 1',
  task_id: 600 + i,
}));
let server: FakeDatasetsServer;
let cacheDir: string;
let missing = new Set<string>();

beforeAll(async () => {
  server = await startFakeDatasetsServer(
    (d) =>
      missing.has(d)
        ? undefined
        : [
            { config: 'main', split: 'train', rows },
            { config: 'default', split: 'train', rows },
            { config: 'full', split: 'train', rows },
          ],
    // A config's own source, with parquet of its own: an older commit can be read.
    { layout: (d) => (d === 'org/own-seeds' ? 'own' : 'conversion') },
  );
});
afterAll(() => server.close());
beforeEach(() => {
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'agora-cli-seeds-'));
  server.requests.length = 0;
  missing = new Set();
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
    env: { AGORA_HF_ENDPOINT: server.url, AGORA_HF_HUB_ENDPOINT: server.url, AGORA_CACHE_DIR: cacheDir, ...env },
    cwd: projectRoot(),
  };
  const code = await seedsCommand(argv, io);
  return { code, stdout, stderr };
}

describe('agora seeds list', () => {
  it('shows every setting, its bundled file and its public sets', async () => {
    const r = await run(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`math/instance: bundled ${path.join('seeds', 'math-instance.jsonl')} (26 items); the paper used 14,856`);
    expect(r.stdout).toMatch(/gsm8k-train: GSM8K train: hf openai\/gsm8k\/main\/train; paper 7,473; MIT;.*not cached/);
    expect(r.stdout).toContain('xp3x-code: xP3x (code subset): hf CohereForAI/xP3x/train (not downloadable; optional: left out when absent)');
    // Issue 9: the difference from the paper is stated where the set is listed.
    expect(r.stdout).toMatch(
      /code\/instance: .*\n(?:  .*\n)*  differs from the paper: without xP3x \(code subset\) the set is MBPP train alone \(374 of the paper's 874 items\)/,
    );
    for (const s of ['math', 'code', 'inst']) for (const m of ['instance', 'response', 'quality']) expect(r.stdout).toContain(`${s}/${m}: bundled`);
  });

  it('states for every setting how its set compares with the paper', async () => {
    const r = await run(['list']);
    const blocks = r.stdout.split(/\n(?=[a-z]+\/[a-z]+: bundled)/);
    expect(blocks).toHaveLength(9);
    for (const b of blocks) expect(b).toMatch(/\n  vs the paper: \S/);
    expect(r.stdout).toMatch(/inst\/instance: [\s\S]*vs the paper: LIMA train has 1,000 single-turn rows; the paper used 503/);
    expect(r.stdout).toMatch(/conala-mined: CoNaLa mined: hf neulab\/conala\/mined\/train; paper 7,622/);
  });

  it('takes different WebInstruct subsets for math and for instruction following', async () => {
    const manifest = await loadSeedManifest();
    const math = manifest.settings['math/quality']!.sets[0]!;
    const inst = manifest.settings['inst/quality']!.sets[0]!;
    expect(math.hf.dataset).toBe(inst.hf.dataset);
    expect(math.filter).toEqual([{ field: 'source', equals: 'mathstackexchange' }]);
    expect(inst.filter?.[0]?.in).not.toContain('mathstackexchange');
    expect(JSON.stringify(inst.filter)).not.toBe(JSON.stringify(math.filter));
    const conala = manifest.settings['code/quality']!;
    expect(conala.sets.reduce((n, s) => n + s.paperCount, 0)).toBe(conala.paperCount);
  });
});

describe('agora seeds fetch', () => {
  it('downloads each set of the chosen settings to the cache, then finds them cached', async () => {
    const first = await run(['fetch', '--setting', 'math/instance,code/instance']);
    expect(first.code).toBe(0);
    const { conversion, main } = server.shas('openai/gsm8k');
    expect(first.stdout).toMatch(
      new RegExp(
        `^ok {3}math/instance gsm8k-train: 3 rows downloaded \\(parquet conversion at ${conversion.slice(0, 10)} \\(of ${main.slice(0, 10)}\\)\\) -> .*openai__gsm8k/main/train\\.jsonl$`,
        'm',
      ),
    );
    expect(first.stdout).toMatch(/^ok {3}math\/instance math-train: 3 rows downloaded/m);
    expect(first.stdout).toMatch(/^ok {3}code\/instance mbpp-train: 3 rows downloaded/m);
    expect(first.stdout).toMatch(/^skip code\/instance xp3x-code: not downloadable: datasets-server does not serve xP3x/m);
    const requests = server.requests.length;

    const second = await run(['fetch', '--setting', 'math/instance']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/gsm8k-train: 3 rows already cached \(parquet conversion at [0-9a-f]{10}/);
    expect(server.requests.length).toBe(requests);
    expect((await run(['list', '--setting', 'math/instance'])).stdout).toMatch(
      new RegExp(`gsm8k-train:.*cached 3 rows \\(parquet conversion at ${conversion.slice(0, 10)}`),
    );

    const same = await run(['fetch', '--setting', 'math/instance', '--refresh']);
    expect(server.requests.length).toBeGreaterThan(requests);
    expect(same.stdout).not.toMatch(/revision changed/);
    // The dataset moves on: a refresh reads the new commit and says so.
    server.commit('openai/gsm8k');
    const moved = await run(['fetch', '--setting', 'math/instance', '--refresh']);
    expect(moved.stdout).toMatch(
      new RegExp(
        `gsm8k-train: 3 rows downloaded[^\\n]*\\n {5}revision changed: the cache held ${conversion.slice(0, 10)}, the Hub now has ${server.shas('openai/gsm8k').conversion.slice(0, 10)}`,
      ),
    );
  });

  it('warns when a filter keeps nothing', async () => {
    const r = await run(['fetch', '--setting', 'math/response']);
    expect(r.stdout).toMatch(/magpie-reasoning-math: 0 rows downloaded[\s\S]*warning: no rows kept/);
  });

  it('fails softly per set: a missing dataset does not stop the others', async () => {
    missing.add('openai/gsm8k');
    const r = await run(['fetch', '--setting', 'math/instance']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^fail math\/instance gsm8k-train: Hugging Face Hub: GET .* HTTP 404: Repository not found/m);
    expect(r.stdout).toMatch(/^ok {3}math\/instance math-train: 3 rows downloaded/m);
    expect(r.stderr).toContain('1 set(s) not fetched');
  });

  it('stops trying once the network is unreachable, and says the bundled seeds still work', async () => {
    const port = await closedPort();
    const r = await run(['fetch', '--setting', 'math/instance', '--retries', '0'], { AGORA_HF_HUB_ENDPOINT: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^fail math\/instance gsm8k-train: Hugging Face Hub unreachable/m);
    expect(r.stdout).toMatch(/^fail math\/instance math-train: not tried, Hugging Face unreachable/m);
    expect(r.stderr).toContain('bundled seeds');
  });

  it("--config: fetches what that sweep's run reads, its own hf seeds at their pinned revision, which the run then finds offline", async () => {
    const pin = server.shas('org/own-seeds').main;
    server.commit('org/own-seeds');
    const file = path.join(cacheDir, 'sweep.yaml');
    writeFileSync(
      file,
      `name: s\ninstancesPerCell: 3\nbudget: { usd: 1 }\nseedSets: bundled\ngenerators:\n  - { id: g, provider: openai-compatible, model: m, baseURL: "http://127.0.0.1:9/v1", price: { input: 0, output: 0 } }\n` +
        `settings: [math/instance, code/instance]\nseeds:\n  math/instance: { hf: org/own-seeds, config: main, split: train, revision: ${pin}, instruction: question, response: answer }\n`,
    );
    const pinned = await run(['fetch', '--config', file]);
    expect(pinned.code, pinned.stdout).toBe(0);
    // Only the config's own source: code/instance runs on its bundled file, so nothing else is fetched.
    expect(pinned.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^ok {3}math/instance config: 3 rows downloaded \\(parquet at ${pin.slice(0, 10)}\\)`)),
    ]);
    const source = { hf: 'org/own-seeds', config: 'main', split: 'train', revision: pin, instruction: 'question', response: 'answer' };
    const items = await loadSeedItems(source, { hf: { offline: true, env: { AGORA_CACHE_DIR: cacheDir } } });
    expect(items.map((i) => i.instruction)).toEqual(['q1', 'q2', 'q3']);
    await expect(
      loadSeedItems({ ...source, revision: server.shas('org/own-seeds').main }, { hf: { offline: true, env: { AGORA_CACHE_DIR: cacheDir } } }),
    ).rejects.toThrow(/not of the pinned revision/);
  });

  it('rejects bad usage', async () => {
    await expect(run([])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['fetch', '--setting', 'math/everything'])).rejects.toThrow(/unknown setting "math\/everything"/);
    await expect(run(['fetch', '--retries', 'x'])).rejects.toThrow(/--retries/);
    await expect(run(['list', 'extra'])).rejects.toBeInstanceOf(UsageError);
  });
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
