import { beforeAll, describe, expect, it } from 'vitest';
import { humanEvalItems, mbppItems } from '../../src/adapters/benchmarks/benchmark-records.js';
import { readRecords } from '../../src/adapters/benchmarks/record-reader.js';
import { createSandboxRunner } from '../../src/adapters/sandbox/python-sandbox.js';
import { gradeBenchmark } from '../../src/core/grade/grade-benchmark.js';
import type { HumanEvalItem, MbppItem } from '../../src/core/grade/types.js';
import { dataFile, haveData } from './shared-data.js';

// Hundreds of real Python processes on a shared 2-core machine: generous limits, no timing asserts.
const SLOW = 600_000;
const run = createSandboxRunner({ timeoutMs: 20_000 });

describe.skipIf(!haveData('humaneval', 'HumanEval.jsonl'))('HumanEval (164)', () => {
  let items: HumanEvalItem[];
  beforeAll(async () => {
    items = humanEvalItems(await readRecords(dataFile('humaneval', 'HumanEval.jsonl')));
  });

  it('loads 164 tasks with the evalplus-style instruction around the original prompt', () => {
    expect(items).toHaveLength(164);
    expect(items[0]?.id).toBe('HumanEval/0');
    expect(items[0]?.prompt).toContain('def has_close_elements');
    expect(items[0]?.prompt).toContain('markdown code block');
  });

  it(
    'passes all 164 canonical solutions written as a full function in a code block',
    async () => {
      const preds = new Map(items.map((i) => [i.id, `Here you go:\n\`\`\`python\n${i.functionPrompt}${i.canonicalSolution}\`\`\`\n`]));
      const r = await gradeBenchmark('humaneval', items, preds, { runCode: run });
      expect(r.items.filter((i) => i.score !== 1)).toEqual([]);
      expect(r.score).toBe(100);
    },
    SLOW,
  );

  it(
    "fails a neighbour's canonical body (every fourth task)",
    async () => {
      const some = items.filter((_, n) => n % 4 === 0);
      const preds = new Map(some.map((i) => [i.id, (items[(items.indexOf(i) + 1) % items.length] as HumanEvalItem).canonicalSolution]));
      const r = await gradeBenchmark('humaneval', some, preds, { runCode: run });
      expect(r.items.filter((i) => i.score !== 0)).toEqual([]);
    },
    SLOW,
  );
});

describe.skipIf(!haveData('mbpp', 'mbpp.jsonl'))('MBPP test split (task ids 11-510)', () => {
  let items: MbppItem[];
  beforeAll(async () => {
    items = mbppItems(await readRecords(dataFile('mbpp', 'mbpp.jsonl')));
  });

  it('cuts the full file to the 500 test tasks', () => {
    expect(items).toHaveLength(500);
    expect([items[0]?.id, items.at(-1)?.id]).toEqual(['11', '510']);
    expect(items[0]?.prompt).toMatch(/^You are an expert Python programmer, and here is your task: .* Your code should pass these tests:\n\nassert remove_Occ/);
  });

  it(
    'passes the reference code of all 500 test tasks',
    async () => {
      const preds = new Map(items.map((i) => [i.id, `\`\`\`python\n${i.code}\n\`\`\``]));
      const r = await gradeBenchmark('mbpp', items, preds, { runCode: run });
      expect(r.items.filter((i) => i.score !== 1)).toEqual([]);
      expect(r.score).toBe(100);
    },
    SLOW,
  );

  it(
    'fails swapped reference code (every fifth task)',
    async () => {
      const some = items.filter((_, n) => n % 5 === 0);
      const preds = new Map(some.map((i) => [i.id, (items[(items.indexOf(i) + 1) % items.length] as MbppItem).code]));
      const r = await gradeBenchmark('mbpp', some, preds, { runCode: run });
      expect(r.items.filter((i) => i.score !== 0)).toEqual([]);
    },
    SLOW,
  );
});
