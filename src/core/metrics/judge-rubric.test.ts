import { describe, expect, it } from 'vitest';
import { DOMAINS } from '../setting.js';
import { difficultyRequest, parseJudgeScore, qualityRequest, SCORE_MARKER } from './judge-rubric.js';

const userText = (req: { messages: readonly { role: string; content: string }[] }) => req.messages.find((m) => m.role === 'user')!.content;

describe('judge requests', () => {
  it.each(DOMAINS)('ask for a %s difficulty deterministically, the instruction verbatim, ending with the marker format', (domain) => {
    const instruction = 'Find all real x with x^2 - 5x + 6 = 0.\nShow your work.';
    const req = difficultyRequest(instruction, domain);
    expect(req.temperature).toBe(0);
    expect(req.maxTokens).toBeGreaterThanOrEqual(256);
    expect(req.maxTokens).toBeLessThanOrEqual(1024);
    expect(req.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const text = userText(req);
    expect(text).toContain(instruction);
    expect(text).toMatch(/difficulty/i);
    for (const n of [1, 2, 3, 4, 5]) expect(text).toMatch(new RegExp(`^${n}: \\S`, 'm'));
    // The format instruction comes after the item, so it is what the judge reads last.
    expect(text.lastIndexOf(`${SCORE_MARKER} n`)).toBeGreaterThan(text.indexOf(instruction));
  });

  it('anchors the difficulty scale per domain', () => {
    const texts = DOMAINS.map((d) => userText(difficultyRequest('Q', d)));
    expect(new Set(texts).size).toBe(DOMAINS.length);
    expect(texts[DOMAINS.indexOf('math')]).toMatch(/olympiad/i);
    expect(texts[DOMAINS.indexOf('code')]).toMatch(/algorithm/i);
  });

  it.each(DOMAINS)('ask for %s quality with both the instruction and the response, instruction first', (domain) => {
    const req = qualityRequest('Write a haiku about rain.', 'Soft rain on the roof\nwhispers ...', domain);
    expect(req.temperature).toBe(0);
    const text = userText(req);
    const i = text.indexOf('Write a haiku about rain.');
    const r = text.indexOf('Soft rain on the roof\nwhispers ...');
    expect(i).toBeGreaterThan(-1);
    expect(r).toBeGreaterThan(i);
    expect(text).toMatch(/quality/i);
    expect(text.lastIndexOf(`${SCORE_MARKER} n`)).toBeGreaterThan(r);
  });

  it('holds math and code responses to a checked final answer and working code', () => {
    expect(userText(qualityRequest('q', 'a', 'math'))).toMatch(/final answer/i);
    expect(userText(qualityRequest('q', 'a', 'code'))).toMatch(/edge cases/i);
    expect(userText(qualityRequest('q', 'a', 'inst'))).not.toMatch(/final answer/i);
  });
});

describe('parseJudgeScore', () => {
  it.each([
    ['The problem needs two steps.\n[SCORE] 2', 2],
    ['[SCORE] 5', 5],
    ['reasoning\n[SCORE]   1  \n', 1],
    ['Bold verdict:\n**[SCORE] 4**', 4],
    ['[SCORE] **3**.', 3],
    ['done [SCORE] 4', 4],
  ])('reads %j as %i', (text, score) => {
    expect(parseJudgeScore(text)).toEqual({ score });
  });

  it('takes the last marker when the judge quotes the format first', () => {
    expect(parseJudgeScore('I must end with [SCORE] n.\nThe response is wrong.\n[SCORE] 1')).toEqual({ score: 1 });
    expect(parseJudgeScore('[SCORE] 5\nOn reflection, no.\n[SCORE] 2')).toEqual({ score: 2 });
  });

  it('does not take a valid earlier marker when the last one is broken', () => {
    const r = parseJudgeScore('[SCORE] 4\nActually:\n[SCORE] four');
    expect(r).toEqual({ error: expect.stringContaining('"four"') as string });
  });

  it.each([
    ['[SCORE] 0', /gives 0/],
    ['[SCORE] 6', /gives 6/],
    ['[SCORE] 3.5', /gives 3\.5/],
    ['[SCORE] -2', /gives -2/],
    ['[SCORE]', /followed by ""/],
    ['[SCORE] 3 out of 5', /"3 out of 5"/],
  ])('rejects %j, naming what it found', (text, message) => {
    const r = parseJudgeScore(text);
    expect('error' in r && r.error).toMatch(message);
  });

  it('names the end of an answer that has no marker, and an empty answer', () => {
    const r = parseJudgeScore('I think this is moderately hard. Score: 3');
    expect('error' in r && r.error).toMatch(/no "\[SCORE\] n" line.*Score: 3/);
    expect(parseJudgeScore('  \n')).toEqual({ error: 'the judge answered nothing' });
  });
});
