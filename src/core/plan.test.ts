import { describe, expect, it } from 'vitest';
import { lengthStats, planCell, type CellPlanInput } from './plan.js';

const instructions = [
  { instruction: 'Explain why the sky is blue in two short paragraphs.' },
  { instruction: 'Write a haiku about autumn rain on a tin roof.' },
];
const responseChars = { p10: 400, mean: 2000, p90: 4000 };

function input(over: Partial<CellPlanInput> = {}): CellPlanInput {
  return { method: 'response', target: 100, templateChars: 300, seeds: lengthStats(instructions), price: { input: 2, output: 8 }, maxTokens: 4096, ...over };
}

describe('planCell', () => {
  // Issue 12: response generation planned 0 output tokens (its seeds are instructions alone),
  // though the output is the whole response and most of the cost.
  it('plans response generation output from the domain response lengths when the seeds have none', () => {
    const p = planCell(input({ responseChars }));
    expect(p.expected.tokensOut).toBe(p.expected.requests * 500);
    expect(p.low.tokensOut).toBe(p.low.requests * 100);
    expect(p.high.tokensOut).toBe(p.high.requests * 1000);
    // Output dominates: 500 tokens at $8 against about 90 in at $2.
    expect(p.expected.usd).toBeGreaterThan((4 * (p.expected.tokensIn * 2)) / 1e6);
  });

  it('never plans more output per request than max tokens', () => {
    const p = planCell(input({ responseChars, maxTokens: 256 }));
    expect(p.high.tokensOut).toBe(p.high.requests * 256);
    expect(p.expected.tokensOut).toBe(p.expected.requests * 256);
  });

  it('keeps the seed responses when the seeds have them', () => {
    const seeds = lengthStats([{ instruction: 'q'.repeat(100), response: 'r'.repeat(800) }]);
    const p = planCell(input({ method: 'quality', seeds, responseChars }));
    expect(p.expected.tokensOut).toBe(p.expected.requests * 225);
  });

  // Issue 12: OpenAI's Batch API and Anthropic's Message Batches bill half the live price.
  it('plans a batch generator at half price, with the same tokens', () => {
    const live = planCell(input({ responseChars }));
    const batch = planCell(input({ responseChars, batch: true }));
    expect(batch.expected.tokensIn).toBe(live.expected.tokensIn);
    expect(batch.expected.tokensOut).toBe(live.expected.tokensOut);
    for (const b of ['low', 'expected', 'high'] as const) expect(batch[b].usd).toBeCloseTo(live[b].usd / 2, 9);
    expect(live.expected.usd).toBeGreaterThan(0);
  });
});
