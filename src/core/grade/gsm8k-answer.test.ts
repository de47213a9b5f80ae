import { describe, expect, it } from 'vitest';
import { extractGsm8kAnswer, gradeGsm8kOutput, gsm8kAnswersMatch, parseGsm8kGold, parseNumber } from './gsm8k-answer.js';

describe('extractGsm8kAnswer', () => {
  it.each([
    ['Work... [RESULT] 42 [/RESULT]', '42'],
    ['[RESULT] 7 [/RESULT] then more text 99', '7'],
    ['She makes 9 * 2 = $18 every day.\n#### 18', '18'],
    ['The total is $\\boxed{1,450,000}$ dollars.', '1,450,000'],
    ['First 3 apples, then 5. So the answer is 42.', '42'],
    ['The final answer is: $-10$', '-10'],
    ['3 + 4 = 7 and then 7 * 2 = 14', '14'],
    ['Answer: 2,125 people', '2,125'],
    ['It costs \u221210 degrees', '\u221210'],
  ])('%j -> %j', (output, expected) => {
    expect(extractGsm8kAnswer(output)).toBe(expected);
  });

  it('prefers the tagged result over a later number', () => {
    expect(extractGsm8kAnswer('[RESULT] 5 [/RESULT] (checked with 6 examples)')).toBe('5');
  });

  it('reads a list of small numbers as separate numbers, not a thousands group', () => {
    expect(extractGsm8kAnswer('The values are 1,2,3')).toBe('3');
  });

  it('returns undefined when there is no number', () => {
    expect(extractGsm8kAnswer('I do not know.')).toBeUndefined();
  });
});

describe('numeric comparison', () => {
  it.each([
    ['18', '18', true],
    ['18.00', '18', true],
    ['$18', '18', true],
    ['1,450,000', '1450000', true],
    ['-3', '-3', true],
    ['3', '-3', false],
    ['17', '18', false],
    ['0.5', '.5', true],
    ['-0', '0', true],
    ['018.50', '18.5', true],
    // Exact, no relative tolerance (issue 9), also beyond what a double tells apart.
    ['1450001', '1,450,000', false],
    ['1,450,000.5', '1,450,000', false],
    ['9007199254740993', '9007199254740992', false],
  ])('%s vs gold %s -> %s', (a, gold, equal) => {
    expect(gsm8kAnswersMatch(a, gold)).toBe(equal);
  });

  it('parses currency and separators, rejects words', () => {
    expect(parseNumber('$1,234.50')).toBe(1234.5);
    expect(parseNumber('12.')).toBe(12);
    expect(parseNumber('twelve')).toBeUndefined();
    expect(gsm8kAnswersMatch(undefined, '1')).toBe(false);
  });
});

describe('gold and grading', () => {
  it('takes the number after ####', () => {
    expect(parseGsm8kGold('Janet sells 9 eggs.\n#### 1,600')).toBe('1,600');
    expect(parseGsm8kGold('no marker here')).toBeUndefined();
  });

  it('grades units and currency as the number', () => {
    expect(gradeGsm8kOutput('She earns $18 dollars per day, so the answer is $18.', '18')).toEqual({ correct: true, extracted: '$18' });
    expect(gradeGsm8kOutput('The answer is 20 eggs.', '18').correct).toBe(false);
  });
});
