import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gradeCommand, type GradeCommandDeps } from './grade.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agora-grade-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], deps?: GradeCommandDeps): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await gradeCommand(argv, { stdout, stderr }, deps);
  return { code, out, err };
}

function write(name: string, lines: readonly unknown[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

const gsm = () =>
  write('gsm.jsonl', [
    { question: 'One plus one?', answer: '1+1=2\n#### 2' },
    { question: 'Two times three?', answer: '#### 6' },
    { question: 'Ten minus one?', answer: '#### 9' },
  ]);

describe('agora grade', () => {
  it('grades GSM8K predictions, prints JSON and writes per-item results next to the predictions', async () => {
    const data = gsm();
    const preds = write('preds.jsonl', [
      { id: 0, output: 'so the answer is 2.' },
      { id: '1', output: '[RESULT] 7 [/RESULT]' },
    ]);
    const r = await cli(['gsm8k', '--predictions', preds, '--data', data, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as Record<string, unknown>;
    expect(summary).toMatchObject({ benchmark: 'gsm8k', n: 3, missing: 1, itemsFile: join(dir, 'preds.graded.jsonl') });
    expect(summary.score).toBeCloseTo(100 / 3, 10);
    expect(r.err).toContain('1 item(s) had no prediction');
    const items = readFileSync(join(dir, 'preds.graded.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(items.map((i) => [i.id, i.score])).toEqual([
      ['0', 1],
      ['1', 0],
      ['2', 0],
    ]);
  });

  it('scores only predicted items with --subset and writes to --out', async () => {
    const out = join(dir, 'results', 'graded.jsonl');
    const preds = write('p.jsonl', [{ id: 2, output: '#### 9' }]);
    const r = await cli(['gsm8k', '--predictions', preds, '--data', gsm(), '--subset', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('gsm8k: 100.00% accuracy over 1 item ');
    expect(existsSync(out)).toBe(true);
  });

  it('runs MBPP code in the sandbox', async () => {
    const data = write('mbpp.jsonl', [
      { task_id: 11, text: 'Add.', code: 'def add(a, b): return a + b', test_list: ['assert add(1, 2) == 3'], test_setup_code: '', challenge_test_list: [] },
      { task_id: 12, text: 'Mul.', code: 'def mul(a, b): return a * b', test_list: ['assert mul(2, 3) == 6'], test_setup_code: '', challenge_test_list: [] },
    ]);
    const preds = write('p.jsonl', [
      { id: 11, output: '```python\ndef add(a, b):\n    return a + b\n```' },
      { id: 12, output: '```python\ndef mul(a, b):\n    return a + b\n```' },
    ]);
    const r = await cli(['mbpp', '--predictions', preds, '--data', data, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ benchmark: 'mbpp', n: 2, score: 50 });
  });

  it.each([
    [[], 'which benchmark?'],
    [['gsm9k', '--predictions', 'x'], 'unknown benchmark "gsm9k"'],
    [['gsm8k'], '--predictions FILE is required'],
    [['gsm8k', '--predictions', 'p', '--seed', 'abc'], '--seed must be a non-negative integer'],
    [['gsm8k', '--predictions', 'p', '--bogus'], 'unknown option --bogus'],
    [['alpaca_eval', '--predictions', 'p'], 'pass --judge'],
    [['arena_hard', '--predictions', 'p', '--judge', 'gpt-4o'], 'not wired'],
  ])('exits 2 on %j', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('names the file and line of a bad prediction', async () => {
    const data = gsm();
    const bad = write('bad.jsonl', [{ id: 0, output: 'a' }, '{"id": 1}']);
    expect((await cli(['gsm8k', '--predictions', bad, '--data', data])).err).toContain(`${bad}:2: "output" must be a string`);
    const dup = write('dup.jsonl', [
      { id: 0, output: 'a' },
      { id: '0', output: 'b' },
    ]);
    expect((await cli(['gsm8k', '--predictions', dup, '--data', data])).err).toContain(`${dup}:2: id "0" repeats line 1`);
    const unknown = write('unknown.jsonl', [
      { id: 0, output: 'a' },
      { id: 77, output: 'b' },
    ]);
    const r = await cli(['gsm8k', '--predictions', unknown, '--data', data]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${unknown}:2: id "77" is not an item of gsm8k`);
    const missing = await cli(['gsm8k', '--predictions', join(dir, 'nope.jsonl'), '--data', data]);
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining('nope.jsonl: cannot read: ENOENT') });
  });

  it('grades AlpacaEval through a judge the wiring provides', async () => {
    const data = join(dir, 'ae.json');
    writeFileSync(data, JSON.stringify([{ instruction: 'Say hi', output: 'Hello there, friend.' }]));
    const preds = write('p.jsonl', [{ id: 0, output: 'hi' }]);
    const specs: string[] = [];
    const makeJudge = async (spec: string) => {
      specs.push(spec);
      return async () => ({ text: 'M', usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop' as const, latencyMs: 0, attempts: 1, model: 'j' });
    };
    const r = await cli(['alpaca_eval', '--predictions', preds, '--data', data, '--judge', 'my-judge', '--json'], { makeJudge });
    expect(r.code).toBe(0);
    expect(specs).toEqual(['my-judge']);
    expect(JSON.parse(r.out)).toMatchObject({ benchmark: 'alpaca_eval', n: 1 });
  });
});

describe('agora grade finds the benchmark as evaluation does', () => {
  it('reads --data-dir in the ../shared/data layout and asks no server', async () => {
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'bench/gsm8k'), { recursive: true });
    copyFileSync(gsm(), join(dir, 'bench/gsm8k/test.jsonl'));
    const preds = write('p.jsonl', [
      { id: 0, output: '#### 2' },
      { id: 1, output: '#### 5' },
      { id: 2, output: '#### 9' },
    ]);
    const env = {
      AGORA_HF_ENDPOINT: 'http://127.0.0.1:9',
      AGORA_HF_HUB_ENDPOINT: 'http://127.0.0.1:9',
      AGORA_GITHUB_RAW_ENDPOINT: 'http://127.0.0.1:9',
      AGORA_CACHE_DIR: join(dir, 'cache'),
    };
    const r = await cli(['gsm8k', '--predictions', preds, '--data-dir', join(dir, 'bench'), '--json'], { env });
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ n: 3, score: (100 * 2) / 3 });
    expect(existsSync(join(dir, 'cache'))).toBe(false);
  });

  it('exits 2 naming `agora benchmarks fetch` when the benchmark is not on disk', async () => {
    const preds = write('p.jsonl', [{ id: 'test/x/1.json', output: '1' }]);
    const r = await cli(['math', '--predictions', preds, '--data-dir', join(dir, 'none')], { env: { AGORA_CACHE_DIR: join(dir, 'cache') } });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/MATH is not at hand.*agora benchmarks fetch/);
  });
});
