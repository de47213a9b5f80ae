import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError } from './download.js';
import { cachePaths, loadBenchmark } from './load-benchmark.js';
import { DataFileError } from './record-reader.js';

const gsmRows = Array.from({ length: 250 }, (_, i) => ({ question: `What is ${i} + 1?`, answer: `It is ${i} + 1.\n#### ${i + 1}` }));

/** A stand-in for datasets-server `/rows` and raw.githubusercontent.com, on 127.0.0.1. */
let server: Server;
let base = '';
const hits: string[] = [];
let failNext = 0;
let truncate = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(url.pathname + url.search);
    if (failNext > 0) {
      failNext--;
      res.writeHead(503).end('busy');
      return;
    }
    if (url.pathname === '/rows' && url.searchParams.get('dataset') === 'openai/gsm8k') {
      const offset = Number(url.searchParams.get('offset'));
      const length = Number(url.searchParams.get('length'));
      const rows = gsmRows.slice(offset, offset + length).map((row, k) => ({ row_idx: offset + k, row, truncated_cells: truncate ? ['answer'] : [] }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rows, num_rows_total: gsmRows.length, num_rows_per_page: 100 }));
      return;
    }
    if (url.pathname.endsWith('/arena-hard-v0.1/question.jsonl')) {
      res.end('{"question_id":"q1","category":"c","cluster":"k","turns":[{"content":"Hi?"}]}\n');
      return;
    }
    if (url.pathname.endsWith('/model_answer/gpt-4-0314.jsonl')) {
      res.end('{"question_id":"q1","choices":[{"index":0,"turns":[{"content":"Hello."}]}]}\n');
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agora-bench-test-'));
  hits.length = 0;
  failNext = 0;
  truncate = false;
  return () => rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ AGORA_HF_ENDPOINT: base, AGORA_GITHUB_RAW_ENDPOINT: base, AGORA_CACHE_DIR: join(dir, 'cache') });

describe('download to the cache', () => {
  it('pages through the rows API, caches the set, and reads the cache the second time', async () => {
    const items = await loadBenchmark('gsm8k', { env: env() });
    expect(items).toHaveLength(250);
    expect(items[249]).toMatchObject({ id: '249', gold: '250' });
    expect(hits.filter((h) => h.startsWith('/rows'))).toHaveLength(3);
    const cacheFile = cachePaths(join(dir, 'cache')).gsm8k;
    expect(readFileSync(cacheFile, 'utf8').trim().split('\n')).toHaveLength(250);
    hits.length = 0;
    expect(await loadBenchmark('gsm8k', { env: env() })).toHaveLength(250);
    expect(hits).toEqual([]);
  });

  it('retries a busy server', async () => {
    failNext = 1;
    expect(await loadBenchmark('gsm8k', { env: env() })).toHaveLength(250);
  });

  it('refuses truncated cells and leaves no cache file behind', async () => {
    truncate = true;
    await expect(loadBenchmark('gsm8k', { env: env() })).rejects.toThrow(/truncated/);
    expect(existsSync(cachePaths(join(dir, 'cache')).gsm8k)).toBe(false);
  });

  it('fetches Arena-Hard questions and baseline answers from the raw endpoint', async () => {
    const items = await loadBenchmark('arena_hard', { env: env() });
    expect(items).toEqual([{ benchmark: 'arena_hard', id: 'q1', prompt: 'Hi?', question: 'Hi?', baselineAnswer: 'Hello.', category: 'c', cluster: 'k' }]);
  });

  it('says which URL failed', async () => {
    await expect(loadBenchmark('humaneval', { env: env() })).rejects.toThrow(DownloadError);
    await expect(loadBenchmark('humaneval', { env: env() })).rejects.toThrow(/openai_humaneval.*HTTP 404/);
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
    writeFileSync(file, JSON.stringify([{ instruction: 'a', output: 'A' }, { instruction: 'b', output: 'B', dataset: 'koala' }]));
    const items = await loadBenchmark('alpaca_eval', { dataFile: file });
    expect(items.map((i) => [i.id, i.prompt])).toEqual([['0', 'a'], ['1', 'b']]);
  });
});
