import { describe, expect, it } from 'vitest';
import { alpacaJudgeRequest } from './grade/alpaca-judge.js';
import { arenaJudgeRequest } from './grade/arena-judge.js';
import { capChars, DEFAULT_JUDGED_LENGTHS, planJudge, type JudgedBenchmarkLengths } from './plan-judge.js';
import { plannedItems } from './plan-benchmarks.js';

const flat = (n: number) => ({ p10: n, mean: n, p90: n });
const price = { input: 10, output: 30 };
const alpaca = (items: number): JudgedBenchmarkLengths => ({ items, prompt: flat(200), reference: flat(2000) });
const arena = (items: number): JudgedBenchmarkLengths => ({ items, prompt: flat(400), reference: flat(1800) });
const chars = (r: { messages: readonly { content: string }[] }) => r.messages.reduce((n, m) => n + m.content.length, 0);

describe('planJudge', () => {
  it('asks AlpacaEval once per item and Arena-Hard twice (both orders)', () => {
    const p = planJudge({
      benchmarks: [
        { benchmark: 'alpaca_eval', lengths: alpaca(805) },
        { benchmark: 'arena_hard', lengths: arena(500) },
      ],
      student: flat(1000),
      price,
    });
    expect(p.calls).toBe(805 + 1000);
    expect(p.expected.requests).toBe(1805);
    // The worst case asks a tenth again (an unparseable verdict gets one retry).
    expect(p.high.requests).toBe(805 + 81 + 1000 + 100);
  });

  it('prices a call from the real judge prompt around the instruction, the student answer and the reference', () => {
    const student = 's'.repeat(1000);
    const p = planJudge({ benchmarks: [{ benchmark: 'alpaca_eval', lengths: alpaca(1) }], student: flat(1000), price });
    const real = alpacaJudgeRequest('i'.repeat(200), student, 'r'.repeat(2000));
    expect(p.expected.tokensIn).toBe(Math.ceil(chars(real) / 4));
    // AlpacaEval's judge names one identifier.
    expect(p.expected.tokensOut).toBe(1);
    expect(p.expected.usd).toBeCloseTo((p.expected.tokensIn * 10 + 30) / 1e6, 12);
  });

  it('has the Arena-Hard judge answer the question itself before its verdict, within its max tokens', () => {
    const p = planJudge({ benchmarks: [{ benchmark: 'arena_hard', lengths: arena(1) }], student: flat(1000), price });
    const real = arenaJudgeRequest('q'.repeat(400), 'a'.repeat(1800), 's'.repeat(1000));
    expect(p.expected.tokensIn).toBe(2 * Math.ceil(chars(real) / 4));
    expect(p.expected.tokensOut).toBe(2 * Math.ceil((1800 + 600) / 4));
    const long = planJudge({
      benchmarks: [{ benchmark: 'arena_hard', lengths: { items: 1, prompt: flat(10), reference: flat(100_000) } }],
      student: flat(10),
      price,
    });
    expect(long.high.tokensOut).toBe(long.high.requests * 4096);
  });

  it('uses a benchmark-specific answer length when given (a baseline answers like GPT-4)', () => {
    const own = planJudge({ benchmarks: [{ benchmark: 'alpaca_eval', lengths: alpaca(10), student: flat(4000) }], student: flat(0), price });
    const none = planJudge({ benchmarks: [{ benchmark: 'alpaca_eval', lengths: alpaca(10) }], student: flat(0), price });
    expect(own.expected.tokensIn - none.expected.tokensIn).toBe(10 * 1000);
  });

  it('orders its bounds low <= expected <= high', () => {
    const d = DEFAULT_JUDGED_LENGTHS;
    const p = planJudge({
      benchmarks: [
        { benchmark: 'alpaca_eval', lengths: d.alpaca_eval },
        { benchmark: 'arena_hard', lengths: d.arena_hard },
      ],
      student: { p10: 300, mean: 1500, p90: 4000 },
      price,
    });
    expect(p.low.usd).toBeGreaterThan(0);
    expect(p.low.usd).toBeLessThan(p.expected.usd);
    expect(p.expected.usd).toBeLessThan(p.high.usd);
  });
});

describe('capChars and plannedItems', () => {
  it('caps answers at the max new tokens, 4 characters a token', () => {
    expect(capChars({ p10: 100, mean: 3000, p90: 9000 }, 1024)).toEqual({ p10: 100, mean: 3000, p90: 4096 });
  });

  it('counts the benchmark items evaluation asks, honouring the variant and limit', () => {
    const e = { math: 'full' as const, mbpp: 'evalplus' as const, benchmarks: {} };
    expect(plannedItems('alpaca_eval', e)).toBe(805);
    expect(plannedItems('arena_hard', e)).toBe(500);
    expect(plannedItems('math', e)).toBe(5000);
    expect(plannedItems('math', { ...e, math: 'math500' })).toBe(500);
    expect(plannedItems('mbpp', e)).toBe(378);
    expect(plannedItems('mbpp', { ...e, mbpp: 'original' })).toBe(500);
    expect(plannedItems('arena_hard', { ...e, benchmarks: { arena_hard: { limit: 7 } } })).toBe(7);
    expect(plannedItems('humaneval', { ...e, benchmarks: { humaneval: { limit: 1000 } } })).toBe(164);
  });
});
