import { describe, expect, it } from 'vitest';
import { checkCodeResponse, findCodeBlocks, notPythonBecause } from './code-block.js';
import { instructionKey, isTruncated } from './instruction-key.js';
import { extractResult, gsm8kFinalAnswer, lastBoxedAnswer } from './math-answer.js';
import { normalizeSeedItem, normalizeSeedResponse } from './seed-normalize.js';

describe('math answers', () => {
  it.each([
    ['The answer is $\\boxed{42}$.', '42'],
    ['so $x = \\boxed{\\frac{1}{2}}$ and then \\boxed{\\dfrac{3}{4}}', '\\dfrac{3}{4}'],
    ['nested \\boxed{\\{1, 2\\} \\cup \\{3\\}} here', '\\{1, 2\\} \\cup \\{3\\}'],
    ['old style \\fbox{7}', '7'],
    ['no braces \\boxed 5 done', '5'],
    ['a brace later {x} but \\boxed 9', '9'],
    ['unbalanced \\boxed{12', undefined],
    ['nothing boxed', undefined],
  ])('lastBoxedAnswer(%j) = %j', (text, want) => expect(lastBoxedAnswer(text)).toBe(want));

  it.each([
    ['steps\n#### 72', '72'],
    ['steps\n#### 1,600  ', '1,600'],
    ['no marker 72', undefined],
  ])('gsm8kFinalAnswer(%j) = %j', (text, want) => expect(gsm8kFinalAnswer(text)).toBe(want));

  it.each([
    ['x\n[RESULT] 5 [/RESULT]', '5'],
    ['[RESULT] 1 [/RESULT] then [RESULT] \\frac{1}{2} [/RESULT]', '\\frac{1}{2}'],
    ['[RESULT]   [/RESULT]', undefined],
    ['[/RESULT] only', undefined],
  ])('extractResult(%j) = %j', (text, want) => expect(extractResult(text)).toBe(want));
});

describe('code blocks', () => {
  it('finds blocks and what lies outside them', () => {
    const r = findCodeBlocks('intro\n```python\na = 1\n```\nmiddle\n```\nb = 2\n```');
    expect(r.blocks).toEqual([
      { lang: 'python', code: 'a = 1' },
      { lang: '', code: 'b = 2' },
    ]);
    expect(r.outside).toBe('intro\nmiddle');
    expect(r.unclosed).toBe(false);
    expect(findCodeBlocks('```python\nx = 1').unclosed).toBe(true);
  });

  it('keeps indentation and inner fences-in-strings intact', () => {
    const code = 'def f():\n    s = "``` not a fence"\n    return s';
    const r = checkCodeResponse('```python\n' + code + '\n```');
    expect(r.ok && r.normalized).toBe('```python\n' + code + '\n```');
  });

  it.each([
    ['import os\nprint(os.getcwd())', undefined],
    ['x, y = y, x', undefined],
    ['[x * x for x in range(10)]', undefined],
    ["' '.join(words)", undefined],
    ['s[::-1]', undefined],
    ['class A:\n    pass', undefined],
    ['def f(n):\n    s = 0;\n    s = s + n;\n    return s;', undefined],
    ['sys.version_info', undefined],
    ['int main() {\n  int x = 1;\n  return x;\n}', 'most lines'],
    ['console.log("hi")', 'JavaScript'],
    ['public static void main(String[] args) {}', 'Java'],
    ['fn main() {\n}', 'Rust'],
    ['simply return the doubled number', 'no Python'],
  ])('notPythonBecause(%j)', (code, why) => {
    const got = notPythonBecause(code);
    if (why === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(why);
  });
});

describe('instruction keys and truncation', () => {
  it('normalises case, Unicode form and whitespace only', () => {
    expect(instructionKey('  What is\t2 +  2?\n')).toBe(instructionKey('what is 2 + 2?'));
    expect(instructionKey('Ｗｈａｔ')).toBe('what');
    expect(instructionKey('What is 2 + 2?')).not.toBe(instructionKey('What is 2 + 3?'));
    expect(instructionKey('a, b')).not.toBe(instructionKey('a b'));
  });

  it('treats only a max-tokens stop as truncated', () => {
    expect(isTruncated('length')).toBe(true);
    expect(isTruncated('stop')).toBe(false);
    expect(isTruncated('other')).toBe(false);
    expect(isTruncated(undefined)).toBe(false);
  });
});

describe('seed normalisation', () => {
  it('turns a GSM8K answer into the [RESULT] convention without calculator notes', () => {
    const gsm = 'Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nShe sold 48+24 = <<48+24=72>>72 clips.\n#### 72';
    expect(normalizeSeedResponse('math', gsm)).toBe('Natalia sold 48/2 = 24 clips in May.\nShe sold 48+24 = 72 clips.\n[RESULT] 72 [/RESULT]');
  });

  it('appends the last boxed MATH answer', () => {
    expect(normalizeSeedResponse('math', 'So $a+b = \\boxed{-3}$.')).toBe('So $a+b = \\boxed{-3}$.\n[RESULT] -3 [/RESULT]');
  });

  it('leaves math already in the convention, or with no recognisable answer, alone', () => {
    expect(normalizeSeedResponse('math', 'x\n[RESULT] 1 [/RESULT]')).toBe('x\n[RESULT] 1 [/RESULT]');
    expect(normalizeSeedResponse('math', 'An essay answer.')).toBe('An essay answer.');
  });

  it('fences bare code (CRLF and trailing spaces cleaned, indentation kept)', () => {
    const mbpp = 'def f(a): \r\n\treturn a + 1\r\n';
    expect(normalizeSeedResponse('code', mbpp)).toBe('```python\ndef f(a):\n\treturn a + 1\n```');
    expect(normalizeSeedResponse('code', '    x = 1')).toBe('```python\n    x = 1\n```');
    expect(normalizeSeedResponse('code', '```python\nx = 1\n```\n')).toBe('```python\nx = 1\n```');
  });

  it('keeps items without a response response-less', () => {
    expect(normalizeSeedItem('math', { instruction: ' q \r\n' })).toEqual({ instruction: 'q' });
    expect(normalizeSeedItem('inst', { instruction: 'q', response: ' r ' })).toEqual({ instruction: 'q', response: 'r' });
  });
});
