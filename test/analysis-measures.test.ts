import { describe, expect, it } from 'vitest';
import { embeddingDiversity } from '../src/core/analysis/diversity.js';
import { budgetShare, costPerAcceptedInstance, fixedBudget } from '../src/core/analysis/fixed-budget.js';
import { itemPerplexity, meanPerplexity } from '../src/core/analysis/perplexity.js';

// Hand-worked cases for the per-cell measures; the numpy comparison is in analysis-numpy.test.ts.

describe('embedding diversity', () => {
  it('averages the cosine over distinct pairs only: (1,0), (0,1), (1,1) give (0 + 2/√2) / 3', () => {
    const d = embeddingDiversity([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(d.pairs).toBe(3);
    expect(d.meanCosineSimilarity).toBeCloseTo(Math.SQRT2 / 3, 12);
    expect(d.meanCosineDistance).toBeCloseTo(1 - Math.SQRT2 / 3, 12);
    // Counting the three self-pairs (cosine 1) would give (3 + 2√2) / 9 instead.
    expect(d.meanCosineSimilarity).not.toBeCloseTo((3 + 2 * Math.SQRT2) / 9, 3);
  });

  it('ignores length: scaled copies are identical (similarity 1), orthogonal ones maximally diverse among positives', () => {
    expect(
      embeddingDiversity([
        [1, 2, 3],
        [10, 20, 30],
        [0.5, 1, 1.5],
      ]).meanCosineSimilarity,
    ).toBeCloseTo(1, 12);
    expect(
      embeddingDiversity([
        [1, 0, 0],
        [0, 2, 0],
        [0, 0, 3],
      ]).meanCosineDistance,
    ).toBeCloseTo(1, 12);
    expect(
      embeddingDiversity([
        [1, 0],
        [-1, 0],
      ]).meanCosineSimilarity,
    ).toBeCloseTo(-1, 12);
  });

  it('names the embedding that has no direction or the wrong size', () => {
    expect(() =>
      embeddingDiversity([
        [1, 0],
        [0, 0],
      ]),
    ).toThrow(/embedding 1 is all zeros/);
    expect(() =>
      embeddingDiversity([
        [1, 0],
        [1, 0, 0],
      ]),
    ).toThrow(/embedding 1 has 3 dimensions, embedding 0 has 2/);
    expect(() => embeddingDiversity([[1, 0]])).toThrow(/at least 2 embeddings/);
    expect(() =>
      embeddingDiversity([
        [1, 0],
        [Number.NaN, 1],
      ]),
    ).toThrow(/embedding 1 holds NaN/);
  });
});

describe('perplexity', () => {
  it('is exp of minus the mean logprob over scored tokens, the first (null) token left out', () => {
    const p = itemPerplexity({ tokenLogprobs: [null, -1, -2] });
    expect(p).toEqual({ tokens: 2, perplexity: expect.closeTo(Math.exp(1.5), 12) });
  });

  it('scores only the item’s own span when a template wraps it', () => {
    // Template tokens at 0-1 and 4 (logprob -9) must not count: own tokens are -1 and -3.
    const p = itemPerplexity({ tokenLogprobs: [null, -9, -1, -3, -9], span: { start: 2, end: 4 } });
    expect(p).toEqual({ tokens: 2, perplexity: expect.closeTo(Math.exp(2), 12) });
    expect(() => itemPerplexity({ tokenLogprobs: [null, -1], span: { start: 1, end: 3 } }, 'item 7')).toThrow(
      /item 7: span \[1, 3\) does not fit its 2 prompt tokens/,
    );
  });

  it('means per-item perplexities, not one pooled over tokens (which the official batch mean approximates)', () => {
    // Item A: 1 token at -1 -> e. Item B: 3 tokens at -3 -> e³. Per item: (e + e³) / 2 ≈ 11.40;
    // pooled over the 4 tokens it would be exp(10/4) ≈ 12.18, letting long items dominate.
    const s = meanPerplexity([{ tokenLogprobs: [null, -1] }, { tokenLogprobs: [null, -3, -3, -3] }]);
    expect(s.mean).toBeCloseTo((Math.E + Math.E ** 3) / 2, 12);
    expect(s.mean).not.toBeCloseTo(Math.exp(2.5), 1);
  });

  it('skips and counts items with no scored token, so padding-like nulls never enter the mean', () => {
    const s = meanPerplexity([{ tokenLogprobs: [null] }, { tokenLogprobs: [null, -2, null, -2] }, { tokenLogprobs: [] }]);
    expect(s).toMatchObject({ scored: 1, skipped: 2, mean: expect.closeTo(Math.exp(2), 12) });
    expect(s.perItem[0]).toBeUndefined();
    expect(Number.isNaN(meanPerplexity([{ tokenLogprobs: [null] }]).mean)).toBe(true);
  });

  it('refuses a value that is not a log-probability, naming the item and token', () => {
    expect(() => meanPerplexity([{ tokenLogprobs: [null, -1] }, { tokenLogprobs: [null, -1, 0.5] }])).toThrow(/item 1: token 2 has logprob 0.5/);
    expect(() => meanPerplexity([{ tokenLogprobs: [null, Number.NEGATIVE_INFINITY] }])).toThrow(/item 0: token 1 has logprob -Infinity/);
  });
});

describe('fixed budget', () => {
  it('buys budget / (spend / accepted) whole instances, capped by what the cell holds', () => {
    // gpt: $25 for 1,000 accepted -> $0.025 each -> $10 buys 400. cheap: $0.5 for 1,000 ->
    // $0.0005 each -> $10 buys 20,000 but the cell holds 1,000: trained on all of it, a floor.
    const [gpt, cheap] = fixedBudget(10, [
      { generator: 'gpt', spentUsd: 25, accepted: 1000 },
      { generator: 'cheap', spentUsd: 0.5, accepted: 1000 },
    ]);
    expect(gpt).toMatchObject({ generator: 'gpt', affordable: 400, prefixSize: 400, limitedByData: false });
    expect(gpt!.costPerInstance).toBeCloseTo(0.025, 15);
    expect(gpt!.prefixCostUsd).toBeCloseTo(10, 12);
    expect(cheap).toMatchObject({ affordable: 20000, prefixSize: 1000, limitedByData: true });
    expect(cheap!.prefixCostUsd).toBeCloseTo(0.5, 12);
  });

  it('does not lose an instance to rounding (0.3 / 0.1 in floating point is 2.999…)', () => {
    expect(budgetShare(0.3, { generator: 'g', spentUsd: 0.1, accepted: 1 }).affordable).toBe(3);
    expect(budgetShare(0.3, { generator: 'g', spentUsd: 1, accepted: 10 }).prefixSize).toBe(3);
  });

  it('a free generator affords everything; a cell with nothing accepted has no price', () => {
    expect(budgetShare(1, { generator: 'local', spentUsd: 0, accepted: 50 })).toMatchObject({
      affordable: Number.POSITIVE_INFINITY,
      prefixSize: 50,
      limitedByData: true,
      prefixCostUsd: 0,
    });
    expect(() => costPerAcceptedInstance({ generator: 'dead', spentUsd: 3, accepted: 0 })).toThrow(/generator dead: 0 accepted instances/);
    expect(() => budgetShare(-1, { generator: 'g', spentUsd: 1, accepted: 1 })).toThrow(/budget -1/);
    expect(() => costPerAcceptedInstance({ generator: 'g', spentUsd: Number.NaN, accepted: 1 })).toThrow(/generator g: spend NaN/);
  });
});
