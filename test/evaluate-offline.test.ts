// Evaluation reads benchmarks from local files and never downloads on its own; a benchmark
// that is not at hand blocks its cells with the command that fetches it; a student server
// that refuses requests fails the cell with its own message; a retry re-asks the judge.
import fs from 'node:fs';
import os from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEvalRun, type EvalRun } from './support/eval-run.js';
import { judgeResponder, writeTinyBenchmarks } from './support/student-responder.js';
import { REPO_ROOT } from './support/temp-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function evalRun(opts: Parameters<typeof startEvalRun>[0]): Promise<EvalRun> {
  const r = await startEvalRun(opts);
  cleanups.push(() => r.close());
  return r;
}

/** Stands in for Hugging Face and GitHub: records every request it gets and answers none usefully. */
async function recordingServer(): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(500).end('no downloads in this test');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** The tiny benchmarks in the data-folder layout (that of ../shared/data, plus the EvalPlus and full-MATH files). */
function writeDataDir(dir: string): ReturnType<typeof writeTinyBenchmarks> {
  const tiny = writeTinyBenchmarks(path.join(dir, 'tiny'));
  const put = (rel: string, from: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, rel));
  };
  const b = tiny.benchmarks as Record<string, { dataFile: string }>;
  put('gsm8k/test.jsonl', b.gsm8k!.dataFile);
  put('math/math_test.jsonl', b.math!.dataFile);
  put('humaneval/HumanEval.jsonl', b.humaneval!.dataFile);
  put('alpaca_eval/gpt4_1106_preview_model_outputs.json', b.alpaca_eval!.dataFile);
  put('arena_hard/question.jsonl', b.arena_hard!.dataFile);
  put('arena_hard/gpt-4-0314.jsonl', path.join(path.dirname(b.arena_hard!.dataFile), 'gpt-4-0314.jsonl'));
  // EvalPlus' MBPP+ layout (evalplus/mbppplus): base asserts in test_list, the plus tests in `test`.
  const mbppPlus = [
    {
      task_id: 11,
      prompt: '"""\nWrite a function to add two numbers.\nassert add(1, 2) == 3\n"""\n',
      code: 'def add(a, b):\n    return a + b',
      test_imports: [],
      test_list: ['assert add(1, 2) == 3', 'assert add(0, 0) == 0'],
      test: 'assert add(-1, 1) == 0\nassert add(10, 5) == 15\n',
    },
    {
      task_id: 12,
      prompt: '"""\nWrite a function to square a number.\nassert square(3) == 9\n"""\n',
      code: 'def square(x):\n    return x * x',
      test_imports: [],
      test_list: ['assert square(3) == 9'],
      test: 'assert square(2) == 4\n',
    },
  ];
  fs.mkdirSync(path.join(dir, 'mbpp'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'mbpp/MbppPlus.jsonl'), mbppPlus.map((r) => JSON.stringify(r)).join('\n') + '\n');
  // HumanEval+: the same task with a plus test the answer below fails.
  const plus = {
    task_id: 'HumanEval/0',
    prompt: 'def inc(x):\n    """Return x plus one."""\n',
    entry_point: 'inc',
    canonical_solution: '    return x + 1\n',
    test: 'def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(-5) == -4\n',
  };
  fs.writeFileSync(path.join(dir, 'humaneval/HumanEvalPlus.jsonl'), JSON.stringify(plus) + '\n');
  return tiny;
}

const E2E_TIMEOUT = 180_000;

const TINY_ANSWERS = writeTinyBenchmarks(fs.mkdtempSync(path.join(os.tmpdir(), 'agora-tiny-'))).answers;

describe('benchmarks from local files, never from the network', () => {
  it(
    'evaluates from evaluate.dataDir (relative to the config) without a single request to Hugging Face or GitHub',
    async () => {
      const net = await recordingServer();
      let cacheDir = '';
      const r = await evalRun({
        settings: ['math/response', 'code/response'],
        evaluate: (dir) => {
          writeDataDir(path.join(dir, 'bench-data'));
          cacheDir = path.join(dir, 'empty-cache');
          return { dataDir: 'bench-data' };
        },
        answers: [['def inc(x)', '```python\ndef inc(x):\n    return x + 1 if x > 0 else 0\n```'], ...TINY_ANSWERS],
        env: { AGORA_HF_ENDPOINT: net.url, AGORA_HF_HUB_ENDPOINT: net.url, AGORA_GITHUB_RAW_ENDPOINT: net.url, AGORA_CACHE_DIR: '/nonexistent/agora-cache' },
      });
      await r.run(['evaluate']);
      for (const s of ['math/response', 'code/response']) expect(r.cell(s), r.cell(s).error ?? '').toMatchObject({ stage: 'evaluate', state: 'done' });
      expect(net.requests).toEqual([]);
      expect(fs.existsSync(cacheDir)).toBe(false);
      const scores = r.db.prepare(`SELECT benchmark, score, n, details_json FROM benchmark_scores ORDER BY benchmark`).all() as Array<{
        benchmark: string;
        score: number;
        n: number;
        details_json: string;
      }>;
      expect(scores.map((s) => [s.benchmark, s.score, s.n])).toEqual([
        ['gsm8k', 50, 4],
        ['humaneval', 100, 1],
        ['math', 50, 2],
        ['mbpp', 50, 2],
      ]);
      // The plus tests are reported beside the base score: inc fails -5; add passes, and square's x + x passes 2 (though it fails the base 3).
      const metrics = (b: string) => (JSON.parse(scores.find((s) => s.benchmark === b)!.details_json) as { metrics: Record<string, number> }).metrics;
      expect(metrics('humaneval')).toMatchObject({ plus_pass_at_1: 0 });
      expect(metrics('mbpp')).toMatchObject({ plus_pass_at_1: 100 });
    },
    E2E_TIMEOUT,
  );

  it(
    'blocks the cells of a benchmark that is not at hand, naming the command that fetches it',
    async () => {
      const net = await recordingServer();
      const r = await evalRun({
        settings: ['math/response'],
        evaluate: () => ({ dataDir: 'nothing-here', math: 'full' }),
        env: { AGORA_HF_ENDPOINT: net.url, AGORA_HF_HUB_ENDPOINT: net.url, AGORA_GITHUB_RAW_ENDPOINT: net.url, AGORA_CACHE_DIR: '/nonexistent/agora-cache' },
      });
      await r.run(['evaluate']);
      const c = r.cell('math/response');
      expect(c).toMatchObject({ stage: 'evaluate', state: 'blocked' });
      expect(c.error).toMatch(/MATH.*agora benchmarks fetch/);
      expect(net.requests).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  const SHARED = path.resolve(REPO_ROOT, '../shared/data');
  const haveShared = fs.existsSync(path.join(SHARED, 'gsm8k/test.jsonl')) && fs.existsSync(path.join(SHARED, 'math/math500_test.jsonl'));
  if (!haveShared) console.warn(`skipping the ../shared/data evaluation test: ${SHARED} is absent`);
  it.skipIf(!haveShared)(
    'finds GSM8K and MATH-500 in ../shared/data with no data files configured, and requests nothing',
    async () => {
      const net = await recordingServer();
      const r = await evalRun({
        settings: ['math/response'],
        evaluate: () => ({ math: 'math500', benchmarks: { gsm8k: { limit: 3 }, math: { limit: 2 } } }),
        env: { AGORA_HF_ENDPOINT: net.url, AGORA_HF_HUB_ENDPOINT: net.url, AGORA_GITHUB_RAW_ENDPOINT: net.url, AGORA_CACHE_DIR: '/nonexistent/agora-cache' },
      });
      await r.run(['evaluate']);
      expect(r.cell('math/response'), r.cell('math/response').error ?? '').toMatchObject({ stage: 'evaluate', state: 'done' });
      expect(net.requests).toEqual([]);
      expect(r.studentLog).toHaveLength(5);
    },
    E2E_TIMEOUT,
  );
});

const tinyFiles = (dir: string) => writeTinyBenchmarks(path.join(dir, 'tiny')).benchmarks;

describe('a student server that refuses requests', () => {
  it(
    "fails the cell with the server's own message instead of scoring empty answers",
    async () => {
      const r = await evalRun({ settings: ['math/response'], evaluate: (dir) => ({ benchmarks: { gsm8k: tinyFiles(dir).gsm8k, math: tinyFiles(dir).math } }) });
      r.student.inject({
        rate: 1,
        fault: { kind: 'raw', status: 422, body: '{"detail":"repetition_penalty: extra inputs are not permitted"}', path: '/v1/chat/completions' },
      });
      await r.run(['evaluate']);
      const c = r.cell('math/response');
      expect(c).toMatchObject({ stage: 'evaluate', state: 'failed' });
      expect(c.error).toContain('extra inputs are not permitted');
      expect(r.db.prepare(`SELECT COUNT(*) AS n FROM benchmark_scores`).get()).toEqual({ n: 0 });
    },
    E2E_TIMEOUT,
  );

  it(
    'sends no repetition_penalty when evaluate.inference.repetitionPenalty is null',
    async () => {
      const r = await evalRun({
        settings: ['math/response'],
        evaluate: (dir) => ({ inference: { repetitionPenalty: null }, benchmarks: { gsm8k: tinyFiles(dir).gsm8k, math: tinyFiles(dir).math } }),
        answers: TINY_ANSWERS,
      });
      await r.run(['evaluate']);
      expect(r.cell('math/response'), r.cell('math/response').error ?? '').toMatchObject({ state: 'done' });
      expect(r.studentLog).toHaveLength(6);
      for (const req of r.studentLog) expect(req.repetitionPenalty).toBeUndefined();
    },
    E2E_TIMEOUT,
  );
});

describe('judge verdicts stored as unparseable', () => {
  it(
    'are asked again on retry once the judge answers properly',
    async () => {
      let broken = true;
      const good = judgeResponder();
      const r = await evalRun({
        settings: ['inst/response'],
        judge: (req) => (broken ? 'I refuse to give a verdict.' : good(req)),
        evaluate: (dir) => ({ benchmarks: { alpaca_eval: tinyFiles(dir).alpaca_eval, arena_hard: tinyFiles(dir).arena_hard } }),
        answers: TINY_ANSWERS,
      });
      await r.run(['evaluate']);
      const failed = r.cell('inst/response');
      expect(failed).toMatchObject({ stage: 'evaluate', state: 'failed' });
      expect(failed.error).toMatch(/unparseable/);
      const asked = r.judge.stats.byPath['/v1/chat/completions'] ?? 0;
      expect(asked).toBeGreaterThan(0);
      broken = false;
      await r.run(['evaluate'], { conductor: async (c) => void expect(await c.retry(failed.id)).toBe(true) });
      expect(r.cell('inst/response'), r.cell('inst/response').error ?? '').toMatchObject({ stage: 'evaluate', state: 'done' });
      expect(r.judge.stats.byPath['/v1/chat/completions']).toBeGreaterThan(asked);
      expect(r.db.prepare(`SELECT COUNT(*) AS n FROM eval_items WHERE verdict_json LIKE '%unparseable%'`).get()).toEqual({ n: 0 });
    },
    E2E_TIMEOUT,
  );
});
