import { describe, expect, it } from 'vitest';
import { EMBEDDING_BATCH, planCellMetrics } from './plan-metrics.js';

const lengths = (mean: number) => ({ p10: mean / 2, mean, p90: mean * 2 });

describe('the metrics stage in the plan', () => {
  it('prices two judge calls per sampled instance and the embeddings of both texts, by hand', () => {
    const p = planCellMetrics({
      sample: 10,
      instruction: lengths(400),
      response: lengths(800),
      rubric: { difficultyChars: 1000, qualityChars: 1200, maxTokens: 512 },
      judge: { input: 2, output: 8 },
      embeddings: { input: 0.1, output: 0 },
    });
    // Expected: difficulty in (1000+400)/4 = 350 tokens, quality in (1200+400+800)/4 = 600; 2 x 150 out.
    const judge = (10 * (950 * 2 + 300 * 8)) / 1e6;
    // Embeddings: 100 + 200 tokens per instance.
    const embed = (10 * 300 * 0.1) / 1e6;
    expect(p.usd.expected).toBeCloseTo(judge + embed, 12);
    expect(p.judgeUsd.expected).toBeCloseTo(judge, 12);
    // High: long texts and every verdict at max tokens.
    const high = (10 * (((1000 + 800) / 4 + (1200 + 800 + 1600) / 4) * 2 + 2 * 512 * 8)) / 1e6 + (10 * (200 + 400) * 0.1) / 1e6;
    expect(p.usd.high).toBeCloseTo(high, 12);
    expect(p.calls).toBe(10 * 2 + 2 * Math.ceil(10 / EMBEDDING_BATCH));
  });

  it('costs nothing for a cell with nothing to sample, or without paid models', () => {
    const rubric = { difficultyChars: 1, qualityChars: 1, maxTokens: 1 };
    expect(planCellMetrics({ sample: 0, instruction: lengths(4), response: lengths(4), rubric, judge: { input: 1, output: 1 } })).toEqual({
      calls: 0,
      usd: { low: 0, expected: 0, high: 0 },
      judgeUsd: { low: 0, expected: 0, high: 0 },
    });
    expect(planCellMetrics({ sample: 5, instruction: lengths(4), response: lengths(4), rubric }).usd.high).toBe(0);
  });
});
