import { describe, expect, it } from 'vitest';
import { DOMAINS } from '../setting.js';
import { FIRST_WORDS } from './openers.js';
import { pickDemos, pickFirstWord, pickTopic } from './pick.js';
import { deriveSeed, mulberry32, randomInt, sampleIndices, shuffle } from './rng.js';
import { TOPICS } from './topics.js';
import type { SeedItem } from './types.js';

const seeds: SeedItem[] = Array.from({ length: 10 }, (_, i) => ({ instruction: `seed ${i}`, response: `answer ${i}` }));
const accepted: SeedItem[] = [
  { instruction: 'generated 0', response: 'g0' },
  { instruction: 'generated 1', response: 'g1' },
];

describe('seeded randomness', () => {
  it('repeats exactly for the same seed and differs across seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('spreads integers over the whole range', () => {
    const rng = mulberry32(7);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[randomInt(rng, 6)]!++;
    for (const n of counts) expect(n).toBeGreaterThan(800);
  });

  it('derives stable, distinct seeds from parts', () => {
    expect(deriveSeed(42, 'gpt-4o', 'math/instance', 3)).toBe(deriveSeed(42, 'gpt-4o', 'math/instance', 3));
    expect(deriveSeed(42, 'gpt-4o', 'math/instance', 3)).not.toBe(deriveSeed(42, 'gpt-4o', 'math/instance', 4));
    expect(deriveSeed('a', 'bc')).not.toBe(deriveSeed('ab', 'c'));
  });

  it('samples distinct indices and shuffles without losing items', () => {
    const rng = mulberry32(1);
    for (let t = 0; t < 50; t++) {
      const picked = sampleIndices(rng, 5, 3);
      expect(new Set(picked).size).toBe(3);
      for (const i of picked) expect(i >= 0 && i < 5).toBe(true);
    }
    expect(() => sampleIndices(rng, 2, 3)).toThrow();
    expect(shuffle(rng, [1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
  });
});

describe('pickDemos', () => {
  it('takes three distinct seeds while nothing is accepted', () => {
    const demos = pickDemos(seeds, [], mulberry32(5));
    expect(demos).toHaveLength(3);
    expect(new Set(demos.map((d) => d.instruction)).size).toBe(3);
    for (const d of demos) expect(d.instruction).toMatch(/^seed /);
  });

  it('takes two seeds and one accepted item once there are accepted items', () => {
    for (let s = 0; s < 30; s++) {
      const demos = pickDemos(seeds, accepted, mulberry32(s));
      expect(demos.filter((d) => d.instruction.startsWith('seed '))).toHaveLength(2);
      expect(demos.filter((d) => d.instruction.startsWith('generated '))).toHaveLength(1);
    }
  });

  it('puts the generated demo in every slot over many draws', () => {
    const slots = new Set<number>();
    for (let s = 0; s < 60; s++) slots.add(pickDemos(seeds, accepted, mulberry32(s)).findIndex((d) => d.instruction.startsWith('generated')));
    expect([...slots].sort()).toEqual([0, 1, 2]);
  });

  it('is reproducible for a seed', () => {
    expect(pickDemos(seeds, accepted, mulberry32(9))).toEqual(pickDemos(seeds, accepted, mulberry32(9)));
  });

  it('copes with exactly two seeds and refuses fewer', () => {
    expect(pickDemos(seeds.slice(0, 2), [], mulberry32(1))).toHaveLength(2);
    expect(pickDemos(seeds.slice(0, 2), accepted, mulberry32(1))).toHaveLength(3);
    expect(() => pickDemos(seeds.slice(0, 1), accepted, mulberry32(1))).toThrow(/at least 2 seed items/);
  });

  it('refuses seeds without responses, naming the item', () => {
    expect(() => pickDemos([{ instruction: 'no answer here' }, { instruction: 'nor here' }], [], mulberry32(1))).toThrow(/no answer here|nor here/);
  });
});

describe('topics and first words', () => {
  it('draws themes from the official lists: university mathematics, word problems, seven languages', () => {
    for (const t of [
      'Group Theory and Ring Theory',
      'Topology',
      'Real Analysis',
      'Complex Analysis',
      'Differential Equations',
      'Math Word Problems with Percentages',
    ]) {
      expect(TOPICS.math).toContain(t);
    }
    for (const l of ['Python', 'Java', 'C++', 'C', 'JavaScript', 'C#', 'PHP']) {
      expect(TOPICS.code).toContain(`Implementing a ${l} Code`);
      expect(TOPICS.code).toContain(`Fixing a ${l} Code`);
    }
    expect(TOPICS.inst).toContain('Puzzles and Logical Reasoning');
    for (const d of DOMAINS) {
      expect(new Set(TOPICS[d]).size).toBe(TOPICS[d].length);
      const rng = mulberry32(3);
      const seen = new Set(Array.from({ length: 600 }, () => pickTopic(d, rng)));
      expect(seen.size).toBe(TOPICS[d].length);
    }
  });

  it('draws an opener from a long list of distinct first words', () => {
    expect(FIRST_WORDS.length).toBeGreaterThanOrEqual(120);
    expect(new Set(FIRST_WORDS).size).toBe(FIRST_WORDS.length);
    for (const w of ['Write ', 'Can you ', 'Explain ', 'Prove that ', 'Given the following ', 'Act as ', 'Imagine ']) expect(FIRST_WORDS).toContain(w);
    const rng = mulberry32(11);
    const seen = new Set(Array.from({ length: 2000 }, () => pickFirstWord(rng)));
    expect(seen.size).toBeGreaterThan(FIRST_WORDS.length * 0.9);
  });
});
