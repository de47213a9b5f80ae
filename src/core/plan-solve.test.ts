import { describe, expect, it } from 'vitest';
import { planSolve, SOLVE_PROMPT_DEFAULTS } from './plan-solve.js';

describe('planSolve (a generator answering the benchmarks for its own score)', () => {
  it('counts one call per item, prompts at 4 characters a token, answers as long as given, every answer at max tokens for the high bound', () => {
    const p = planSolve(
      [
        { benchmark: 'gsm8k', items: 10, prompt: { p10: 40, mean: 80, p90: 120 }, answer: { p10: 400, mean: 800, p90: 1600 } },
        { benchmark: 'alpaca_eval', items: 5, prompt: { p10: 4, mean: 8, p90: 12 }, answer: { p10: 40, mean: 8000, p90: 9000 } },
      ],
      { input: 2, output: 10 },
      1024,
    );
    expect(p.calls).toBe(15);
    // Expected: 10 x (20 in, 200 out) + 5 x (2 in, min(1024, 2000) out).
    expect(p.expected).toEqual({ requests: 15, tokensIn: 200 + 10, tokensOut: 2000 + 5 * 1024, usd: (210 * 2 + 7120 * 10) / 1e6 });
    expect(p.low).toMatchObject({ tokensIn: 100 + 5, tokensOut: 1000 + 50 });
    // High: the worst case the ledger reserves, every answer at max tokens.
    expect(p.high).toMatchObject({ tokensIn: 300 + 15, tokensOut: 15 * 1024 });
    expect(p.low.usd).toBeLessThan(p.expected.usd);
    expect(p.expected.usd).toBeLessThan(p.high.usd);
  });

  it('has a built-in prompt length for every benchmark', () => {
    for (const l of Object.values(SOLVE_PROMPT_DEFAULTS)) expect(l.p10 < l.mean && l.mean < l.p90).toBe(true);
  });
});
