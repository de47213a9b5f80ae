import { describe, expect, it } from 'vitest';
import { hendrycksIsEquiv, hendrycksStripString } from './hendrycks-strip.js';
import { mathAnswersMatch } from './math-equiv.js';
import { extractMathAnswer, lastBoxed, mathGold } from './math-extract.js';
import { asRational, normalizeMathAnswer } from './math-normalize.js';
import type { SymbolicChecker } from './types.js';

describe('lastBoxed / extractMathAnswer', () => {
  it('balances nested braces and takes the last box', () => {
    expect(lastBoxed('a \\boxed{1} b \\boxed{\\frac{1}{\\sqrt{2}}} c')).toBe('\\frac{1}{\\sqrt{2}}');
    expect(lastBoxed('\\boxed 5$ end')).toBe('5');
    expect(lastBoxed('\\fbox{7}')).toBe('7');
    expect(lastBoxed('\\boxed{unclosed')).toBeUndefined();
  });

  it('prefers [RESULT] tags, unwraps a box inside them, strips $ and a full stop', () => {
    expect(extractMathAnswer('so \\boxed{3}. [RESULT] $\\frac{1}{2}$. [/RESULT]')).toBe('\\frac{1}{2}');
    expect(extractMathAnswer('[RESULT] \\boxed{7} [/RESULT]')).toBe('7');
    expect(extractMathAnswer('Thus $\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}$.')).toBe('\\left( 3, \\frac{\\pi}{2} \\right)');
    expect(extractMathAnswer('Final Answer: The final answer is $12$. I hope it is correct.')).toBe('12');
    expect(extractMathAnswer('no answer at all')).toBeUndefined();
  });

  it('takes the gold from `answer`, else the solution box', () => {
    expect(mathGold({ answer: ' 5 ', solution: '\\boxed{6}' })).toBe('5');
    expect(mathGold({ solution: 'so \\boxed{\\dfrac{1}{2}}.' })).toBe('\\dfrac{1}{2}');
    expect(mathGold({ solution: 'no box' })).toBeUndefined();
  });
});

describe('Hendrycks strip_string port', () => {
  it.each([
    ['\\dfrac{1}{2}', '\\frac{1}{2}'],
    ['\\frac12', '\\frac{1}{2}'],
    ['\\frac1{72}', '\\frac{1}{72}'],
    ['0.5', '\\frac{1}{2}'],
    ['.5', '\\frac{1}{2}'],
    ['3/4', '\\frac{3}{4}'],
    ['x = 5', '5'],
    ['\\sqrt2', '\\sqrt{2}'],
    ['\\left( 1, 2 \\right)', '(1,2)'],
    ['90^\\circ', '90'],
    ['10\\%', '10'],
    ['\\$5', '5'],
    ['5 \\text{ cm}', '5'],
  ])('%s -> %s', (input, expected) => {
    expect(hendrycksStripString(input)).toBe(expected);
  });

  it('falls back to raw equality where the original raises', () => {
    expect(() => hendrycksStripString('1 \\text{ a} 2 \\text{ b}')).toThrow();
    expect(hendrycksIsEquiv('1 \\text{ a} 2 \\text{ b}', '1 \\text{ a} 2 \\text{ b}')).toBe(true);
    expect(hendrycksIsEquiv('\\frac', '\\frac')).toBe(true);
    expect(hendrycksIsEquiv(undefined, '1')).toBe(false);
  });
});

describe('normalizeMathAnswer', () => {
  it.each([
    ['\\text{(B)}', 'b'],
    ['\\text{Evelyn}', 'evelyn'],
    ['15\\mbox{ cm}^2', '15'],
    ['\\$32,\\!348', '32348'],
    ['11,\\! 111,\\! 111,\\! 100', '11111111100'],
    ['2.50', '2.5'],
    ['3.0', '3'],
    ['-\\frac{3}{8}', '\\frac{-3}{8}'],
    ['x \\in [-2,7]', '[-2,7]'],
    ['\\frac{270}7\\text{ degrees}', '\\frac{270}{7}'],
    ['\\begin{pmatrix} -1 \\\\ 2 \\end{pmatrix}', '\\begin{pmatrix}-1\\\\2\\end{pmatrix}'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeMathAnswer(input)).toBe(expected);
  });

  it('reads numbers, fractions and mixed numbers as exact rationals', () => {
    expect(asRational('0.25')).toEqual({ p: 25n, q: 100n });
    expect(asRational('\\frac{3}{4}')).toEqual({ p: 3n, q: 4n });
    expect(asRational('1\\frac{4}{5}')).toEqual({ p: 9n, q: 5n });
    expect(asRational('\\frac{1}{0}')).toBeUndefined();
    expect(asRational('x')).toBeUndefined();
  });
});

/** A checker that records what reaches it, to prove which cases need sympy at all. */
function recorder(verdict: 'equal' | 'different' | 'unavailable'): SymbolicChecker & { calls: [string, string][] } {
  const calls: [string, string][] = [];
  return { calls, equivalent: async (a, b) => (calls.push([a, b]), verdict) };
}

describe('mathAnswersMatch without sympy', () => {
  it.each([
    ['0.5', '\\frac{1}{2}', true],
    ['\\frac{9}{5}', '1\\frac{4}{5}', true],
    ['-0.375', '-\\frac{3}{8}', true],
    ['(3, \\frac{\\pi}{2})', '\\left( 3, \\frac{\\pi}{2} \\right)', true],
    ['\\{-2, 1\\pm\\sqrt{5}\\}', '\\{1\\pm\\sqrt{5},-2\\}', true],
    ['3, 2, 1', '1,2,3', true],
    ['1,2', '1,2,3', false],
    ['(-\\infty,0)', '(-\\infty, 0]', false],
    ['\\frac{2}{4}', '\\frac{1}{2}', false],
    ['\\frac{4}{2}', '2', false],
    ['0.33', '\\frac{1}{3}', false],
    ['odd', '\\text{even}', false],
    ['137 1/2', '\\frac{275}{2}', true],
    ['5', '5 \\text{ meters}', true],
    ['12 square units', '12', true],
    ['2', '2m', false],
  ])('%s vs gold %s -> %s', async (pred, gold, equal) => {
    const c = recorder('unavailable');
    expect((await mathAnswersMatch(pred, gold, c)).equal).toBe(equal);
    expect(c.calls).toEqual([]);
  });

  it('asks the checker only for what rules cannot settle, and reports a skipped check', async () => {
    const c = recorder('unavailable');
    const m = await mathAnswersMatch('\\sqrt{12}', '2\\sqrt{3}', c);
    expect(m).toEqual({ equal: false, by: 'none', symbolic: 'unavailable' });
    expect(c.calls).toEqual([['\\sqrt{12}', '2\\sqrt{3}']]);
    expect((await mathAnswersMatch('\\sqrt{12}', '2\\sqrt{3}', recorder('equal'))).equal).toBe(true);
    expect(await mathAnswersMatch(undefined, '1')).toEqual({ equal: false, by: 'none' });
  });
});
