import { beforeAll, describe, expect, it } from 'vitest';
import { loadBenchmark } from '../../src/adapters/benchmarks/load-benchmark.js';
import { gradeBenchmark, GradeSetupError } from '../../src/core/grade/grade-benchmark.js';
import type { CompletionRequest, CompletionResult } from '../../src/core/ports.js';
import type { AlpacaEvalItem, ArenaHardItem } from '../../src/core/grade/types.js';
import { dataFile, haveData } from './shared-data.js';

function reply(text: string): CompletionResult {
  return { text, usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop', latencyMs: 0, attempts: 1, model: 'scripted-judge' };
}

/** Splits the AlpacaEval judge prompt back into its two outputs. */
function alpacaOutputs(req: CompletionRequest): [string, string] {
  const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
  const outs = [...user.matchAll(/"output": """([\s\S]*?)"""/g)].map((m) => m[1] ?? '');
  return [outs[0] ?? '', outs[1] ?? ''];
}

function arenaAnswers(req: CompletionRequest): [string, string] {
  const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
  const a = /<\|The Start of Assistant A's Answer\|>\n([\s\S]*?)\n<\|The End of Assistant A's Answer\|>/.exec(user)?.[1] ?? '';
  const b = /<\|The Start of Assistant B's Answer\|>\n([\s\S]*?)\n<\|The End of Assistant B's Answer\|>/.exec(user)?.[1] ?? '';
  return [a, b];
}

describe.skipIf(!haveData('alpaca_eval', 'gpt4_1106_preview_model_outputs.json'))('AlpacaEval 2.0 (805)', () => {
  let items: AlpacaEvalItem[];
  beforeAll(async () => {
    items = (await loadBenchmark('alpaca_eval', { dataFile: dataFile('alpaca_eval', 'gpt4_1106_preview_model_outputs.json') })) as AlpacaEvalItem[];
  });

  it('loads the 805 instructions with the GPT-4 Turbo reference outputs', () => {
    expect(items).toHaveLength(805);
    expect(items[0]).toMatchObject({ id: '0', prompt: 'What are the names of some famous actors that started their careers on Broadway?' });
    expect(items[0]?.referenceOutput).toContain('Broadway');
  });

  it('seats the student at random but reproducibly, and length control discounts a length-loving judge', async () => {
    let seats = new Map<string, boolean>();
    // The student writes a long answer for every third item and a short one otherwise; this
    // judge always prefers the longer output.
    const judge = async (req: CompletionRequest) => {
      const [o1, o2] = alpacaOutputs(req);
      const studentFirst = o1.startsWith('STUDENT');
      seats.set(/^STUDENT (\d+)/.exec(studentFirst ? o1 : o2)?.[1] ?? '?', studentFirst);
      return reply(o1.length >= o2.length ? 'm' : 'M');
    };
    const preds = new Map(items.map((i, n) => [i.id, `STUDENT ${i.id} ${'x'.repeat(n % 3 === 0 ? i.referenceOutput.length * 2 : 10)}`]));
    const r = await gradeBenchmark('alpaca_eval', items, preds, { judge, seed: 1 });
    const studentFirst = [...seats.values()].filter(Boolean).length;
    expect(seats.size).toBe(805);
    expect(studentFirst).toBeGreaterThan(805 * 0.4);
    expect(studentFirst).toBeLessThan(805 * 0.6);
    expect(r.n).toBe(805);
    const longer = items.filter((i) => {
      const own = preds.get(i.id)?.length ?? 0;
      return own > i.referenceOutput.length || (own === i.referenceOutput.length && seats.get(i.id) === true);
    });
    expect(longer.length).toBeGreaterThan(805 / 3 - 1);
    expect(r.metrics.win_rate).toBeCloseTo((100 * longer.length) / 805, 6);
    // Winning only by length: the length-controlled rate moves towards a coin flip.
    expect(Math.abs(r.score - 50)).toBeLessThan(Math.abs(Number(r.metrics.win_rate) - 50));

    const first = new Map([...seats].filter(([id]) => Number(id) < 100));
    seats = new Map();
    await gradeBenchmark('alpaca_eval', items.slice(0, 100), preds, { judge, seed: 1, concurrency: 3 });
    expect(seats).toEqual(first);
    seats = new Map();
    await gradeBenchmark('alpaca_eval', items.slice(0, 100), preds, { judge, seed: 2 });
    expect(seats).not.toEqual(first);
  });

  it('retries an unparseable verdict once, then leaves it out and says so', async () => {
    const subset = items.slice(0, 10);
    let calls = 0;
    const judge = async (req: CompletionRequest) => {
      calls++;
      const [o1] = alpacaOutputs(req);
      const retry = req.messages.length > 2;
      if (o1.includes('item 0') || alpacaOutputs(req)[1].includes('item 0')) return reply('Neither, really.');
      if (!retry && (o1.includes('item 1') || alpacaOutputs(req)[1].includes('item 1'))) return reply('Let me think about it.');
      return reply(o1.startsWith('item') ? 'm' : 'M');
    };
    const r = await gradeBenchmark('alpaca_eval', subset, new Map(subset.map((i) => [i.id, `item ${i.id}`])), { judge });
    expect(r.metrics.unparseable).toBe(1);
    expect(r.n).toBe(9);
    expect(r.metrics.win_rate).toBe(100);
    expect(calls).toBe(10 + 2);
    expect(r.notes.join(' ')).toContain('unparseable');
  });

  it('refuses to run without a judge', async () => {
    await expect(gradeBenchmark('alpaca_eval', items.slice(0, 1), new Map())).rejects.toBeInstanceOf(GradeSetupError);
  });
});

describe.skipIf(!haveData('arena_hard', 'question.jsonl'))('Arena-Hard v0.1 (500)', () => {
  let items: ArenaHardItem[];
  beforeAll(async () => {
    items = (await loadBenchmark('arena_hard', { dataFile: dataFile('arena_hard', 'question.jsonl') })) as ArenaHardItem[];
  });

  it('joins the 500 questions with the gpt-4-0314 baseline answers', () => {
    expect(items).toHaveLength(500);
    expect(items[0]).toMatchObject({ id: '328c149ed45a41c0b9d6f14659e63599', prompt: 'Use ABC notation to write a melody in the style of a folk tune.' });
    expect(items.every((i) => i.baselineAnswer.length > 0)).toBe(true);
  });

  it('judges both orders and scores strong wins three times, with a seeded interval', async () => {
    const seen: string[] = [];
    // Student answers "good <id>" for even items (strongly better), "bad <id>" otherwise (slightly worse).
    const judge = async (req: CompletionRequest) => {
      const [a, b] = arenaAnswers(req);
      const studentA = a.startsWith('good') || a.startsWith('bad');
      const student = studentA ? a : b;
      seen.push(studentA ? 'A' : 'B');
      const good = student.startsWith('good');
      if (good) return reply(`My final verdict is: ${studentA ? '[[A>>B]]' : '[[B>>A]]'}`);
      return reply(`My final verdict is: ${studentA ? '[[B>A]]' : '[[A>B]]'}`);
    };
    const preds = new Map(items.map((i, n) => [i.id, `${n % 2 === 0 ? 'good' : 'bad'} ${i.id}`]));
    const r = await gradeBenchmark('arena_hard', items, preds, { judge, seed: 3 });
    expect(seen.filter((s) => s === 'A')).toHaveLength(500);
    expect(seen.filter((s) => s === 'B')).toHaveLength(500);
    // 250 questions x 2 games x 3 (strong wins) against 250 x 2 single losses: 1500 / 2000.
    expect(r.score).toBe(75);
    expect(r.metrics.battles).toBe(2000);
    expect(Number(r.metrics.ci_low)).toBeLessThan(75);
    expect(Number(r.metrics.ci_high)).toBeGreaterThan(75);
    const again = await gradeBenchmark('arena_hard', items, preds, { judge, seed: 3 });
    expect([again.metrics.ci_low, again.metrics.ci_high]).toEqual([r.metrics.ci_low, r.metrics.ci_high]);
  });

  it('asks once more for a missing label, counts conflicting ones as unparseable, and a missing answer as a loss', async () => {
    const subset = items.slice(0, 4);
    const judge = async (req: CompletionRequest) => {
      const [a, b] = arenaAnswers(req);
      const student = a.startsWith('ans') ? a : b;
      const retry = req.messages.length > 2;
      if (student.includes(subset[0]?.id ?? '')) return reply(retry ? 'Fine: [[A=B]]' : 'Both are good answers.');
      if (student.includes(subset[1]?.id ?? '')) return reply('[[A>B]] no wait [[B>A]]');
      return reply('[[A=B]]');
    };
    const preds = new Map(subset.slice(0, 3).map((i) => [i.id, `ans ${i.id}`]));
    const r = await gradeBenchmark('arena_hard', subset, preds, { judge });
    expect(r.metrics.unparseable).toBe(2);
    // Ties in 4 games (0.5 each), and the missing item's two strong losses (3 + 3 battles at 0).
    expect(r.metrics.battles).toBe(4 + 6);
    expect(r.score).toBeCloseTo((100 * 2) / 10, 10);
    expect(r.missing).toBe(1);
  });
});
