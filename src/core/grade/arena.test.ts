import { describe, expect, it } from 'vitest';
import { arenaJudgeRequest, arenaJudgeRetry, parseArenaVerdict } from './arena-judge.js';
import { arenaBattles, arenaScore, percentile, type ArenaGame } from './arena-score.js';

describe('parseArenaVerdict', () => {
  it.each([
    ['My final verdict is tie: [[A=B]]', 'A=B'],
    ['... Assistant B is significantly better: [[B>>A]]', 'B>>A'],
    ['[[A>B]] and again [[A>B]]', 'A>B'],
    ['Final: [[A>>B]].', 'A>>B'],
  ])('%j -> %s', (reply, verdict) => {
    expect(parseArenaVerdict(reply)).toEqual({ kind: 'verdict', verdict });
  });

  it('asks again when there is no label, and gives up on conflicting or unknown labels', () => {
    expect(parseArenaVerdict('Both answers are fine.')).toEqual({ kind: 'none' });
    expect(parseArenaVerdict('[[A>B]] ... on reflection [[B>A]]')).toEqual({ kind: 'conflict', labels: ['A>B', 'B>A'] });
    expect(parseArenaVerdict('[[B<A]]')).toEqual({ kind: 'conflict', labels: ['B<A'] });
  });

  it('builds the harness prompt and the continuation retry', () => {
    const req = arenaJudgeRequest('Q?', 'answer one', 'answer two');
    expect(req.temperature).toBe(0);
    expect(req.messages[0]?.content).toContain('[[A>>B]]');
    expect(req.messages[1]?.content).toBe(
      "<|User Prompt|>\nQ?\n\n<|The Start of Assistant A's Answer|>\nanswer one\n<|The End of Assistant A's Answer|>\n\n<|The Start of Assistant B's Answer|>\nanswer two\n<|The End of Assistant B's Answer|>",
    );
    const retry = arenaJudgeRetry(req, 'thinking...');
    expect(retry.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(retry.messages[3]?.content).toContain('final verdict label');
  });
});

describe('arena scoring', () => {
  it('turns verdicts into student-side battles, strong ones three times, unparseable dropped', () => {
    const games: ArenaGame[] = [
      { verdict: 'B>>A', studentIs: 'B' }, // strong win
      { verdict: 'A>B', studentIs: 'A' }, // win
      { verdict: 'A=B', studentIs: 'B' }, // tie
      { verdict: 'A>>B', studentIs: 'B' }, // strong loss
      { verdict: undefined, studentIs: 'A' },
    ];
    expect(arenaBattles(games)).toEqual([1, 1, 1, 1, 0.5, 0, 0, 0]);
    const s = arenaScore(games);
    expect(s.score).toBeCloseTo((100 * 4.5) / 8, 10);
    expect(s.battles).toBe(8);
    expect(s.unparseable).toBe(1);
  });

  it('scores the baseline against itself at 50 and brackets the score with a seeded interval', () => {
    const games: ArenaGame[] = [];
    for (let i = 0; i < 500; i++) {
      games.push({ verdict: i % 3 === 0 ? 'A>B' : i % 3 === 1 ? 'B>A' : 'A=B', studentIs: 'B' });
      games.push({ verdict: i % 3 === 0 ? 'B>A' : i % 3 === 1 ? 'A>B' : 'A=B', studentIs: 'A' });
    }
    const s = arenaScore(games, { seed: 1 });
    expect(s.score).toBe(50);
    expect(s.ci[0]).toBeLessThan(50);
    expect(s.ci[1]).toBeGreaterThan(50);
    expect(s.ci[1] - s.ci[0]).toBeLessThan(8);
    expect(arenaScore(games, { seed: 1 }).ci).toEqual(s.ci);
    expect(arenaScore(games, { seed: 2 }).ci).not.toEqual(s.ci);
  });

  it('has no score without battles', () => {
    expect(Number.isNaN(arenaScore([{ verdict: undefined, studentIs: 'A' }]).score)).toBe(true);
  });

  it('interpolates percentiles like numpy', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([0, 10], 2.5)).toBeCloseTo(0.25, 10);
  });
});
