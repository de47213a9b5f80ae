import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gsm8kItems, mathItems } from '../../src/adapters/benchmarks/benchmark-records.js';
import { readRecords } from '../../src/adapters/benchmarks/record-reader.js';
import { SympyChecker } from '../../src/adapters/sandbox/sympy-checker.js';
import { gradeGsm8kItem, gradeMathItem } from '../../src/core/grade/grade-answers.js';
import { gradeBenchmark } from '../../src/core/grade/grade-benchmark.js';
import { parseNumber } from '../../src/core/grade/gsm8k-answer.js';
import { hendrycksIsEquiv } from '../../src/core/grade/hendrycks-strip.js';
import { asRational, normalizeMathAnswer } from '../../src/core/grade/math-normalize.js';
import type { Gsm8kItem, MathItem } from '../../src/core/grade/types.js';
import { dataFile, haveData } from './shared-data.js';

describe.skipIf(!haveData('gsm8k', 'test.jsonl'))('GSM8K test set (1,319)', () => {
  let items: Gsm8kItem[];
  beforeAll(async () => {
    items = gsm8kItems(await readRecords(dataFile('gsm8k', 'test.jsonl')));
  });

  it('loads every item with 0-based line ids', () => {
    expect(items).toHaveLength(1319);
    expect(items[0]).toMatchObject({ id: '0', gold: '18' });
    expect(items[0]?.prompt).toContain('Janet');
  });

  it('grades every gold answer correct, however a model writes it', () => {
    const failures: string[] = [];
    for (const item of items) {
      const plain = item.gold.replace(/,/g, '');
      const outputs = [
        `Let me compute step by step. ... so the answer is ${item.gold}.`,
        `Step 1 gives 3 and step 2 gives 5.\n[RESULT] ${item.gold} [/RESULT]`,
        `Thus the total is $\\boxed{${plain}}$.`,
        item.solution,
        `The answer is $${plain}.`,
        `Adding 2 and 3 we get ${plain} dollars in total.`,
      ];
      for (const out of outputs) if (gradeGsm8kItem(item, out).score !== 1) failures.push(`${item.id}: ${JSON.stringify(out.slice(-60))}`);
    }
    expect(failures).toEqual([]);
  });

  it('grades the gold of a different item wrong', () => {
    let compared = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Gsm8kItem;
      const other = items
        .slice(i + 1)
        .concat(items.slice(0, i))
        .find((o) => parseNumber(o.gold) !== parseNumber(item.gold)) as Gsm8kItem;
      expect(gradeGsm8kItem(item, `So the answer is ${other.gold}.`).score, `${item.id} vs ${other.id}`).toBe(0);
      compared++;
    }
    expect(compared).toBe(1319);
  });

  it('scores a full prediction set through gradeBenchmark', async () => {
    const preds = new Map(items.map((i, n) => [i.id, n % 2 === 0 ? `[RESULT] ${i.gold} [/RESULT]` : 'no idea']));
    const r = await gradeBenchmark('gsm8k', items, preds);
    expect(r.n).toBe(1319);
    expect(r.metrics.correct).toBe(660);
    expect(r.score).toBeCloseTo((100 * 660) / 1319, 10);
  });
});

/** Ways models write the same MATH answer differently from the dataset. */
function variants(gold: string): string[] {
  const out = [
    gold.replace(/\\[dt]frac/g, '\\frac'),
    gold.replace(/\\left|\\right/g, '').replace(/\s+/g, ''),
    // `a/b` for a fraction; a mixed number `1\frac{4}{5}` becomes `1 4/5`.
    gold.replace(/(\d)\s*\\frac\{(\d+)\}\{(\d+)\}/g, '$1 $2/$3').replace(/\\frac\{(\d+)\}\{(\d+)\}/g, '$1/$2'),
  ];
  if (!/=|\\in|\\text|\\mbox|,|\\begin/.test(gold)) out.push(`x = ${gold}`);
  return [...new Set(out)];
}

describe.skipIf(!haveData('math', 'math500_test.jsonl'))('MATH-500 (500)', () => {
  let items: MathItem[];
  let sympy: SympyChecker;
  beforeAll(async () => {
    items = mathItems(await readRecords(dataFile('math', 'math500_test.jsonl')));
    sympy = await SympyChecker.start();
    if (!sympy.status.available) console.warn(`MATH tests run without symbolic checks: ${sympy.status.reason}`);
  });
  afterAll(async () => sympy.close());

  it('loads every item with its unique_id and gold', () => {
    expect(items).toHaveLength(500);
    expect(items[0]).toMatchObject({ id: 'test/precalculus/807.json', gold: '\\left( 3, \\frac{\\pi}{2} \\right)' });
  });

  it("grades every gold answer correct in the paper's, boxed and reference-solution forms", async () => {
    const failures: string[] = [];
    for (const item of items) {
      for (const out of [`So the answer is [RESULT] ${item.gold} [/RESULT]`, `Thus $\\boxed{${item.gold}}$.`, item.solution]) {
        const r = await gradeMathItem(item, out, sympy);
        if (r.score !== 1) failures.push(`${item.id}: ${r.extracted} (${r.detail})`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('grades model-written variants of every gold correct', async () => {
    const failures: string[] = [];
    for (const item of items) {
      for (const v of variants(item.gold)) {
        const r = await gradeMathItem(item, `[RESULT] ${v} [/RESULT]`, sympy);
        if (r.score !== 1) failures.push(`${item.id}: ${JSON.stringify(item.gold)} as ${JSON.stringify(v)} (${r.detail})`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('grades the gold of a different item wrong', async () => {
    const differs = (a: string, b: string) => {
      const ra = asRational(normalizeMathAnswer(a));
      const rb = asRational(normalizeMathAnswer(b));
      return !hendrycksIsEquiv(a, b) && normalizeMathAnswer(a) !== normalizeMathAnswer(b) && !(ra && rb && ra.p * rb.q === rb.p * ra.q);
    };
    const wrongly: string[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as MathItem;
      const other = items
        .slice(i + 1)
        .concat(items.slice(0, i))
        .find((o) => differs(o.gold, item.gold)) as MathItem;
      const r = await gradeMathItem(item, `\\boxed{${other.gold}}`, sympy);
      if (r.score !== 0) wrongly.push(`${item.id}: ${JSON.stringify(item.gold)} accepted ${JSON.stringify(other.gold)} (${r.detail})`);
    }
    expect(wrongly).toEqual([]);
  });
});

describe.skipIf(!haveData('math', 'math_train.jsonl'))('MATH train (solutions only)', () => {
  it('finds a gold answer in every solution but the two whose box is empty in the dataset', async () => {
    const items = mathItems(await readRecords(dataFile('math', 'math_train.jsonl')));
    expect(items).toHaveLength(7500);
    expect(items.filter((i) => i.gold === '').map((i) => i.id)).toEqual(['train/number_theory/7115.json', 'train/number_theory/7117.json']);
  });
});
