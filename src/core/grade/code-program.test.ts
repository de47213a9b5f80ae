import { describe, expect, it } from 'vitest';
import { extractCode, humanEvalProgram, mbppProgram } from './code-program.js';
import type { HumanEvalItem, MbppItem } from './types.js';

const he: HumanEvalItem = {
  benchmark: 'humaneval',
  id: 'HumanEval/x',
  prompt: '',
  functionPrompt: 'import math\n\ndef add(a, b):\n    """Add."""\n',
  entryPoint: 'add',
  canonicalSolution: '    return a + b\n',
  test: 'def check(candidate):\n    assert candidate(1, 2) == 3\n',
};

describe('extractCode', () => {
  it('takes the python block that defines the entry point', () => {
    const out = 'Here:\n```python\nprint(1)\n```\nand\n```python\ndef add(a, b):\n    return a + b\n```\nDone.';
    expect(extractCode(out, 'add')).toBe('def add(a, b):\n    return a + b\n');
    expect(extractCode(out)).toBe('print(1)\n');
  });

  it('prefers python blocks over other languages, reads unclosed fences and MBPP [BEGIN]', () => {
    expect(extractCode('```bash\nls\n```\n```py\nx = 1\n```')).toBe('x = 1\n');
    expect(extractCode('```python\ndef f():\n    return 1')).toBe('def f():\n    return 1');
    expect(extractCode("[BEGIN]\n'def f(): return 2'\n[DONE]")).toBe('def f(): return 2');
    expect(extractCode('def g(): pass')).toBe('def g(): pass');
  });
});

describe('programs', () => {
  it('keeps the prompt (imports, helpers) before a full function and calls check', () => {
    const p = humanEvalProgram(he, '```python\ndef add(a, b):\n    return math.floor(a + b)\n```');
    expect(p.startsWith(he.functionPrompt)).toBe(true);
    expect(p).toContain('return math.floor(a + b)');
    expect(p.trimEnd().endsWith('check(add)')).toBe(true);
  });

  it('appends a bare body to the prompt as a completion', () => {
    expect(humanEvalProgram(he, he.canonicalSolution).startsWith(he.functionPrompt + he.canonicalSolution)).toBe(true);
  });

  it('puts MBPP code, setup (which may use the code) and asserts in order', () => {
    const item: MbppItem = {
      benchmark: 'mbpp',
      id: '11',
      prompt: '',
      text: '',
      code: '',
      testList: ['assert f(x) == 1', 'assert f(x) != 2'],
      testSetupCode: 'x = f(0)',
    };
    expect(mbppProgram(item, '```python\ndef f(v):\n    return 1\n```')).toBe('def f(v):\n    return 1\n\n\nx = f(0)\nassert f(x) == 1\nassert f(x) != 2\n');
  });
});
