import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadBenchmark } from './load-benchmark.js';
import { DataFileError } from './record-reader.js';

import { startFakeDatasetsServer, type FakeDatasetsServer } from '../datasets/testing/fake-datasets-server.js';
import { benchmarksCommand } from '../../cli/commands/benchmarks.js';
import { BENCHMARK_LAYOUT } from './benchmark-files.js';

/** GitHub raw files at their pinned commits, as the pinned versions' record counts. */
const n = (k: number, f: (i: number) => Record<string, unknown>) => Array.from({ length: k }, (_, i) => f(i));
const jsonl = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const mathRow = (id: string) => ({ problem: `p ${id}`, solution: '\\boxed{1}', answer: '1', subject: 'Algebra', level: 1, unique_id: id });
const RAW: Record<string, string> = {
  '/openai/grade-school-math/b52325ad96ea38979fdc222e881ff5d105f95295/grade_school_math/data/test.jsonl': jsonl(
    n(1319, (i) => ({ question: `q${i}`, answer: `#### ${i}` })),
  ),
  '/openai/prm800k/00811d6de065642a6967b9017d4cee59550c0ef4/prm800k/math_splits/test.jsonl': jsonl(n(500, (i) => mathRow(`test/algebra/${i}.json`))),
  '/openai/prm800k/00811d6de065642a6967b9017d4cee59550c0ef4/prm800k/math_splits/train.jsonl': jsonl([
    ...n(4500, (i) => mathRow(`test/geometry/${i}.json`)),
    ...n(7500, (i) => mathRow(`train/algebra/${i}.json`)),
  ]),
  '/tatsu-lab/alpaca_eval/34e01fac2c393593366f2f62abd88507e00d6399/results/gpt4_1106_preview/model_outputs.json': JSON.stringify(
    n(805, (i) => ({ instruction: `i${i}`, output: `o${i}` })),
  ),
  '/lmarena/arena-hard-auto/6c82720015d5da7b8795b809b91f63ef74abbf6a/data/arena-hard-v0.1/question.jsonl': jsonl(
    n(500, (i) => ({ question_id: `q${i}`, turns: [{ content: `Q${i}` }] })),
  ),
  '/lmarena/arena-hard-auto/e0a8ea1df42c1df76451a6cd04b14e31ff992b87/data/arena-hard-v0.1/model_answer/gpt-4-0314.jsonl': jsonl(
    n(500, (i) => ({ question_id: `q${i}`, choices: [{ turns: [{ content: `A${i}` }] }] })),
  ),
};
const humaneval = n(164, (i) => ({
  task_id: `HumanEval/${i}`,
  prompt: `def f${i}():\n`,
  entry_point: `f${i}`,
  canonical_solution: '    return 1\n',
  test: 'def check(c):\n    assert c() == 1\n',
}));
const mbppPlus = n(378, (i) => ({
  task_id: i + 2,
  prompt: `"""\nWrite f${i}.\nassert f${i}() == 1\n"""\n`,
  code: `def f${i}():\n    return 1`,
  test_imports: [],
  test_list: [`assert f${i}() == 1`],
  test: `assert f${i}() == 1\n`,
}));

let server: Server;
let base = '';
const hits: string[] = [];
let hf: FakeDatasetsServer;
let failNext = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(url.pathname);
    if (failNext > 0) {
      failNext--;
      res.writeHead(503).end('busy');
      return;
    }
    const body = RAW[url.pathname];
    if (body === undefined) res.writeHead(404).end('not found');
    else res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // HumanEval holds parquet files of its own; the EvalPlus sets are read from the Hub's conversion.
  hf = await startFakeDatasetsServer(
    (d) => {
      if (d === 'openai/openai_humaneval') return [{ config: 'openai_humaneval', split: 'test', rows: humaneval }];
      if (d === 'evalplus/humanevalplus')
        return [
          { config: 'default', split: 'test', rows: humaneval.map((r) => ({ ...r, test: 'def check(c):\n    assert c() == 1\n    assert c() != 2\n' })) },
        ];
      if (d === 'evalplus/mbppplus') return [{ config: 'default', split: 'test', rows: mbppPlus }];
      return undefined;
    },
    { layout: (d) => (d === 'openai/openai_humaneval' ? 'own' : 'conversion') },
  );
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await hf.close();
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agora-bench-test-'));
  hits.length = 0;
  hf.requests.length = 0;
  failNext = 0;
  return () => rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ AGORA_HF_ENDPOINT: hf.url, AGORA_HF_HUB_ENDPOINT: hf.url, AGORA_GITHUB_RAW_ENDPOINT: base, AGORA_CACHE_DIR: join(dir, 'cache') });

async function fetchCli(extraArgs: string[] = [], extraEnv: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
    env: { ...env(), ...extraEnv },
    cwd: dir,
  };
  return { code: await benchmarksCommand(['fetch', '--retries', '1', ...extraArgs], io), stdout, stderr };
}

describe('agora benchmarks fetch', () => {
  it('downloads every file once at its pinned commit, into the layout evaluation reads, and then evaluation reads it offline', async () => {
    const r = await fetchCli();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const cache = join(dir, 'cache', 'benchmarks');
    for (const rel of Object.values(BENCHMARK_LAYOUT).filter((f) => f !== BENCHMARK_LAYOUT.mbppOriginal)) expect(existsSync(join(cache, rel)), rel).toBe(true);
    expect(readFileSync(join(cache, BENCHMARK_LAYOUT.mathFull), 'utf8').trim().split('\n')).toHaveLength(5000);
    // Offline now: the endpoints point nowhere and nothing is asked.
    // The Hugging Face sets were read from parquet at a commit, and each line says which.
    expect(r.stdout).toMatch(
      new RegExp(
        `ok {3}MBPP\\+ \\(EvalPlus\\): 378 records downloaded -> .*\\n {5}hf evalplus/mbppplus: parquet conversion at ${hf.shas('evalplus/mbppplus').conversion.slice(0, 10)}`,
      ),
    );
    expect(r.stdout).toMatch(
      new RegExp(
        `HumanEval: 164 records downloaded -> .*\\n {5}hf openai/openai_humaneval: parquet at ${hf.shas('openai/openai_humaneval').main.slice(0, 10)}`,
      ),
    );
    expect(hf.requests.some((q) => q.startsWith('/rows'))).toBe(false);
    const offline = {
      AGORA_HF_ENDPOINT: 'http://127.0.0.1:9',
      AGORA_HF_HUB_ENDPOINT: 'http://127.0.0.1:9',
      AGORA_GITHUB_RAW_ENDPOINT: 'http://127.0.0.1:9',
      AGORA_CACHE_DIR: join(dir, 'cache'),
    };
    hits.length = 0;
    expect(await loadBenchmark('math', { env: offline })).toHaveLength(5000);
    expect(await loadBenchmark('math', { env: offline, mathVariant: 'math500' })).toHaveLength(500);
    const mbpp = await loadBenchmark('mbpp', { env: offline });
    expect(mbpp).toHaveLength(378);
    expect(mbpp[0]).toMatchObject({ id: '2', text: 'Write f0.', testList: ['assert f0() == 1'], plusTest: 'assert f0() == 1\n' });
    const he = await loadBenchmark('humaneval', { env: offline, dataDir: join(dir, 'nothing') });
    expect(he).toHaveLength(164);
    expect(he[0]).toMatchObject({ id: 'HumanEval/0', plusTest: expect.stringContaining('!= 2') });
    expect(await loadBenchmark('arena_hard', { env: offline })).toHaveLength(500);
    expect(hits).toEqual([]);
    // A second fetch finds everything cached and asks nothing.
    const again = await fetchCli();
    expect(again.code).toBe(0);
    expect(hits).toEqual([]);
    expect(again.stdout).toMatch(/already cached/);
    expect(again.stdout).toMatch(/HumanEval\+ \(EvalPlus\): already cached -> .*\n {5}hf evalplus\/humanevalplus: parquet conversion at [0-9a-f]{10}/);
    // --refresh after the dataset moved on: still the pinned row count, and the new commit is named.
    hf.commit('evalplus/mbppplus');
    const moved = await fetchCli(['--refresh']);
    expect(moved.code, moved.stdout).toBe(0);
    expect(moved.stdout).toMatch(
      new RegExp(`hf evalplus/mbppplus: parquet conversion at ${hf.shas('evalplus/mbppplus').conversion.slice(0, 10)}.*; revision changed from [0-9a-f]{10}`),
    );
  });

  it('reports a set that fails, keeps the others, and writes no partial file', async () => {
    const r = await fetchCli([], { AGORA_GITHUB_RAW_ENDPOINT: `${base}/moved` });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/fail GSM8K test \(github openai\/grade-school-math@b52325ad96.*HTTP 404/);
    expect(r.stdout).toMatch(/ok {3}MBPP\+ \(EvalPlus\): 378 records downloaded/);
    expect(existsSync(join(dir, 'cache', 'benchmarks', BENCHMARK_LAYOUT.gsm8k))).toBe(false);
  });

  it('without fetched files, loading says which command fetches them', async () => {
    await expect(loadBenchmark('math', { env: env() })).rejects.toThrow(/MATH is not at hand.*agora benchmarks fetch/);
    expect(hits).toEqual([]);
    expect(hf.requests).toEqual([]);
  });
});

describe('local files', () => {
  it('names file and line for bad JSON and missing fields', async () => {
    const file = join(dir, 'gsm.jsonl');
    writeFileSync(file, '{"question":"a","answer":"#### 1"}\n{oops\n');
    await expect(loadBenchmark('gsm8k', { dataFile: file })).rejects.toThrow(`${file}:2: invalid JSON`);
    writeFileSync(file, '{"question":"a","answer":"#### 1"}\n{"question":"b"}\n');
    await expect(loadBenchmark('gsm8k', { dataFile: file })).rejects.toThrow(`${file}:2: field "answer" is missing`);
    writeFileSync(file, '{"question":"a","answer":"no marker"}\n');
    await expect(loadBenchmark('gsm8k', { dataFile: file })).rejects.toThrow(DataFileError);
  });

  it('reads MATH with or without an answer field, and finds the Arena baseline next to the questions', async () => {
    const math = join(dir, 'math.jsonl');
    writeFileSync(math, '{"unique_id":"t/1","problem":"p","solution":"so \\\\boxed{\\\\frac12}.","level":"Level 2","type":"Algebra"}\n');
    expect(await loadBenchmark('math', { dataFile: math })).toEqual([
      { benchmark: 'math', id: 't/1', prompt: 'p', problem: 'p', solution: 'so \\boxed{\\frac12}.', gold: '\\frac12', subject: 'Algebra', level: 'Level 2' },
    ]);
    const q = join(dir, 'question.jsonl');
    writeFileSync(q, '{"question_id":"q9","turns":[{"content":"Why?"}]}\n');
    await expect(loadBenchmark('arena_hard', { dataFile: q })).rejects.toThrow(/gpt-4-0314/);
    writeFileSync(join(dir, 'gpt-4-0314.jsonl'), '{"question_id":"q8","choices":[{"turns":[{"content":"x"}]}]}\n');
    await expect(loadBenchmark('arena_hard', { dataFile: q })).rejects.toThrow(/no baseline answer for question_id q9/);
  });

  it('reads a JSON array (AlpacaEval format) with 0-based ids', async () => {
    const file = join(dir, 'ae.json');
    writeFileSync(
      file,
      JSON.stringify([
        { instruction: 'a', output: 'A' },
        { instruction: 'b', output: 'B', dataset: 'koala' },
      ]),
    );
    const items = await loadBenchmark('alpaca_eval', { dataFile: file });
    expect(items.map((i) => [i.id, i.prompt])).toEqual([
      ['0', 'a'],
      ['1', 'b'],
    ]);
  });
});
