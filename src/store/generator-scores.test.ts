import { afterEach, describe, expect, it } from 'vitest';
import { itemSetKey } from '../core/evaluate/item-set.js';
import { sourceIdentity } from '../core/evaluate/student-source.js';
import type { BenchmarkId } from '../core/setting.js';
import { tempStore, testConfig } from '../../test/support/temp-run.js';
import { saveBenchmarkScore } from './eval-repo.js';
import { generatorNeeds, generatorProblemSolving } from './generator-scores.js';
import type { Db } from './open-store.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

const generators = [
  { id: 'a', provider: 'openai-compatible', model: 'model-a', baseURL: 'http://127.0.0.1:9/v1', price: { input: 1, output: 2 } },
  { id: 'b', provider: 'openai', model: 'gpt-4o', price: { input: 2.5, output: 10 } },
];

function setup(evaluate: Record<string, unknown>) {
  const config = testConfig({ generators, settings: ['math/instance', 'code/instance'], evaluate });
  const s = tempStore(config);
  cleanups.push(s.cleanup);
  return { db: s.db, config };
}

function score(
  db: Db,
  generator: string,
  benchmark: BenchmarkId,
  value: number,
  model: string,
  itemSet = itemSetKey(benchmark, { math: 'full', mbpp: 'evalplus', benchmarks: {} } as never),
) {
  saveBenchmarkScore(db, {
    subject: `generator:${generator}`,
    benchmark,
    score: value,
    n: 10,
    ciLow: null,
    ciHigh: null,
    source: 'evaluated',
    details: { itemSet, model },
  });
}

const identity = (g: (typeof generators)[number]) =>
  sourceIdentity({ kind: 'api', generator: { ...g, concurrency: 1, timeoutSeconds: 1, maxRetries: 0 } as never }, undefined);

describe("the generators' problem-solving scores", () => {
  it('are the mean of the evaluated benchmarks by the same model, else the typed number, naming which', () => {
    const { db, config } = setup({ generatorScores: ['a'], problemSolving: { a: 40, b: 55 } });
    expect(generatorNeeds(db, config, 'math').map((n) => [n.subject, n.benchmarks])).toEqual([['generator:a', ['gsm8k', 'math']]]);
    score(db, 'a', 'gsm8k', 80, identity(generators[0]!));
    score(db, 'a', 'mbpp', 60, identity(generators[0]!));
    // By another model (the config's model changed since): not this generator's score.
    score(db, 'a', 'math', 10, 'api:openai-compatible:old-model@http://127.0.0.1:9/v1');
    // Over another item set: not current either.
    score(db, 'b', 'gsm8k', 90, identity(generators[1]!), JSON.stringify({ data: 'download', limit: 3 }));
    const ps = generatorProblemSolving(db, config);
    expect(ps.get('a')).toEqual({ score: 70, source: 'evaluated', perBenchmark: { gsm8k: 80, mbpp: 60 } });
    expect(ps.get('b')).toEqual({ score: 55, source: 'config', perBenchmark: {} });
    expect(generatorNeeds(db, config, 'math').map((n) => [n.subject, n.benchmarks])).toEqual([['generator:a', ['math']]]);
    expect(generatorNeeds(db, config, 'code').map((n) => [n.subject, n.benchmarks])).toEqual([['generator:a', ['humaneval']]]);
  });

  it('off: nothing is needed, and a generator with neither scores nor a typed number is absent', () => {
    const { db, config } = setup({});
    expect(generatorNeeds(db, config, 'math')).toEqual([]);
    expect(generatorProblemSolving(db, config).size).toBe(0);
  });
});
