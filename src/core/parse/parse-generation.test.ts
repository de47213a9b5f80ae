import { describe, expect, it } from 'vitest';
import type { MetaPromptVariant } from '../prompts/types.js';
import type { Domain, Method } from '../setting.js';
import { parseGeneration } from './parse-generation.js';
import type { ParseFailureReason, ParseInput } from './types.js';

interface Case {
  readonly name: string;
  readonly method: Method;
  readonly domain: Domain;
  readonly variants: readonly MetaPromptVariant[];
  /** The reply, or one per variant when the formats differ. */
  readonly text: string | ((variant: MetaPromptVariant) => string);
  readonly expect: 'ok' | ParseFailureReason;
  readonly instruction?: string;
  readonly response?: string;
  readonly extra?: Partial<ParseInput>;
}

const DELIM: MetaPromptVariant[] = ['default', 'unoptimized'];
const JSONV: MetaPromptVariant[] = ['json'];
const Q = 'A box holds 12 eggs. How many eggs are in 7 boxes?';
const MATH = '12 x 7 = 84 eggs.\n[RESULT] 84 [/RESULT]';
const CODE = '```python\ndef double(x):\n    return 2 * x\n```';
const CODE_Q = 'Write a function `double(x)` that returns twice its argument.';
const INST_Q = 'Name three primary colours and explain what makes them primary.';
const INST = 'Red, yellow and blue: they cannot be mixed from other paints.';
const GIVEN = { instruction: 'What is 6 times 7, exactly?' };
const ORIGINAL = { instruction: 'whats 6*7', response: '42' };

/** A delimiter-style instance reply: the prompt ended with "INPUT:", so the reply starts with the instruction. */
const ig = (instruction: string, response: string, end = '\n[END]') => ` ${instruction}\nOUTPUT: ${response}${end}`;
const qe = (instruction: string, response: string) => ` ${instruction}\nRevised Answer: ${response}\n[END]`;
const js = (o: unknown) => JSON.stringify(o);

const cases: Case[] = [
  // Instance generation, math
  { name: 'plain instance', method: 'instance', domain: 'math', variants: DELIM, text: ig(Q, MATH), expect: 'ok', instruction: Q, response: MATH },
  { name: 'no [END] (stop sequence stripped)', method: 'instance', domain: 'math', variants: DELIM, text: ig(Q, MATH, ''), expect: 'ok', response: MATH },
  {
    name: 'text after [END] ignored',
    method: 'instance',
    domain: 'math',
    variants: DELIM,
    text: ig(Q, MATH, '\n[END]\n\n[EXAMPLE 5]\nINPUT: more'),
    expect: 'ok',
    response: MATH,
  },
  {
    name: 'restated [NEW INSTANCE] INPUT:',
    method: 'instance',
    domain: 'math',
    variants: DELIM,
    text: `[NEW INSTANCE]\nINPUT: ${Q}\nOUTPUT: ${MATH}`,
    expect: 'ok',
    instruction: Q,
  },
  {
    name: 'bold OUTPUT marker',
    method: 'instance',
    domain: 'math',
    variants: DELIM,
    text: ` ${Q}\n**OUTPUT:** ${MATH}`,
    expect: 'ok',
    instruction: Q,
    response: MATH,
  },
  { name: 'OUTPUT on the same line', method: 'instance', domain: 'math', variants: DELIM, text: ` ${Q} OUTPUT: ${MATH}`, expect: 'ok', instruction: Q },
  {
    name: 'proof result',
    method: 'instance',
    domain: 'math',
    variants: DELIM,
    text: ig('Prove that the square of an even integer is even.', 'Let n = 2k; n^2 = 4k^2 = 2(2k^2).\n[RESULT] Q.E.D. [/RESULT]'),
    expect: 'ok',
  },
  { name: 'no OUTPUT marker', method: 'instance', domain: 'math', variants: DELIM, text: ` ${Q}\nThe answer is 84.`, expect: 'no-output-marker' },
  { name: 'empty instruction', method: 'instance', domain: 'math', variants: DELIM, text: `\nOUTPUT: ${MATH}`, expect: 'empty-instruction' },
  { name: 'empty response', method: 'instance', domain: 'math', variants: DELIM, text: ` ${Q}\nOUTPUT:   \n[END]`, expect: 'empty-response' },
  { name: 'no result tags', method: 'instance', domain: 'math', variants: DELIM, text: ig(Q, '12 x 7 = 84, so 84 eggs.'), expect: 'missing-result-tag' },
  { name: 'only the opening tag', method: 'instance', domain: 'math', variants: DELIM, text: ig(Q, '12 x 7 = 84\n[RESULT] 84'), expect: 'missing-result-tag' },
  {
    name: 'tags in the wrong order',
    method: 'instance',
    domain: 'math',
    variants: DELIM,
    text: ig(Q, '84 [/RESULT] then [RESULT]'),
    expect: 'missing-result-tag',
  },
  {
    name: 'two results',
    method: 'instance',
    domain: 'math',
    variants: DELIM,
    text: ig(Q, '[RESULT] 80 [/RESULT]\nno wait\n[RESULT] 84 [/RESULT]'),
    expect: 'multiple-result-tags',
  },
  { name: 'empty result', method: 'instance', domain: 'math', variants: DELIM, text: ig(Q, '12 x 7 = 84\n[RESULT]   [/RESULT]'), expect: 'empty-result' },
  {
    name: 'chatter after the result',
    method: 'instance',
    domain: 'math',
    variants: DELIM,
    text: ig(Q, `${MATH} Hope this helps!`),
    expect: 'text-after-result',
  },
  {
    name: 'second instance without [END]',
    method: 'instance',
    domain: 'math',
    variants: DELIM,
    text: ` ${Q}\nOUTPUT: ${MATH}\nINPUT: another problem`,
    expect: 'leaked-marker',
  },
  {
    name: 'example header leaked',
    method: 'instance',
    domain: 'math',
    variants: DELIM,
    text: ig(Q, `${MATH}`).replace(Q, `${Q}\n[EXAMPLE 4]`),
    expect: 'leaked-marker',
  },
  { name: 'result tag in the problem', method: 'instance', domain: 'math', variants: DELIM, text: ig(`${Q} [RESULT]`, MATH), expect: 'leaked-marker' },
  {
    name: 'instruction too short',
    method: 'instance',
    domain: 'math',
    variants: [...DELIM, ...JSONV],
    text: (v) => (v === 'json' ? js({ instruction: '2+2?', response: MATH }) : ig('2+2?', MATH)),
    expect: 'too-short',
  },
  {
    name: 'copies a demo (case and spaces differ)',
    method: 'instance',
    domain: 'math',
    variants: DELIM,
    text: ig(Q.toUpperCase().replace(/ /g, '  '), MATH),
    expect: 'echoes-demo',
    extra: {
      source: {
        demos: [
          { instruction: 'other', response: 'x' },
          { instruction: Q, response: MATH },
        ],
      },
    },
  },
  {
    name: 'cut by max tokens',
    method: 'instance',
    domain: 'math',
    variants: [...DELIM, ...JSONV],
    text: ig(Q, MATH),
    expect: 'truncated',
    extra: { finishReason: 'length' },
  },
  { name: 'empty reply', method: 'instance', domain: 'math', variants: [...DELIM, ...JSONV], text: '  \n ', expect: 'empty-output' },
  {
    name: 'too long',
    method: 'instance',
    domain: 'math',
    variants: DELIM,
    text: ig(Q, `${'step. '.repeat(100)}\n[RESULT] 84 [/RESULT]`),
    expect: 'too-long',
    extra: { limits: { maxChars: 300 } },
  },
  {
    name: 'json instance',
    method: 'instance',
    domain: 'math',
    variants: JSONV,
    text: js({ instruction: Q, response: MATH }),
    expect: 'ok',
    instruction: Q,
    response: MATH,
  },
  {
    name: 'json in one fence',
    method: 'instance',
    domain: 'math',
    variants: JSONV,
    text: `\`\`\`json\n${js({ instruction: Q, response: MATH })}\n\`\`\`\n`,
    expect: 'ok',
    instruction: Q,
  },
  // Strict, as the paper's format ablation measures: the reply must be the object itself.
  {
    name: 'json in a fence after preamble',
    method: 'instance',
    domain: 'math',
    variants: JSONV,
    text: `Here is the example:\n\`\`\`json\n${js({ instruction: Q, response: MATH })}\n\`\`\``,
    expect: 'bad-json',
  },
  {
    name: 'json after a sentence',
    method: 'instance',
    domain: 'math',
    variants: JSONV,
    text: `Sure! ${js({ instruction: Q, response: MATH })}`,
    expect: 'bad-json',
  },
  {
    name: 'json with braces inside strings',
    method: 'instance',
    domain: 'math',
    variants: JSONV,
    text: js({ instruction: 'Let $S = \\{1, 2\\}$. How many subsets does S have?', response: '2^2 = 4\n[RESULT] 4 [/RESULT]' }),
    expect: 'ok',
  },
  {
    name: 'json with trailing text',
    method: 'instance',
    domain: 'math',
    variants: JSONV,
    text: `${js({ instruction: Q, response: MATH })} trailing }`,
    expect: 'bad-json',
  },
  {
    name: 'json with an extra key',
    method: 'instance',
    domain: 'math',
    variants: JSONV,
    text: js({ instruction: Q, response: MATH, difficulty: 'hard' }),
    expect: 'bad-json',
  },
  {
    name: 'json two fences',
    method: 'instance',
    domain: 'math',
    variants: JSONV,
    text: '```json\n' + js({ instruction: Q, response: MATH }) + '\n```\n```json\n{}\n```',
    expect: 'bad-json',
  },
  {
    name: 'json markers are plain text there',
    method: 'instance',
    domain: 'math',
    variants: JSONV,
    text: js({ instruction: `${Q}\nINPUT: eggs`, response: MATH }),
    expect: 'ok',
  },
  { name: 'json invalid', method: 'instance', domain: 'math', variants: JSONV, text: `{"instruction": "${Q}", "response": 84,}`, expect: 'bad-json' },
  { name: 'json never closed', method: 'instance', domain: 'math', variants: JSONV, text: `{"instruction": "${Q}", "response": "12 x`, expect: 'bad-json' },
  { name: 'json without an object', method: 'instance', domain: 'math', variants: JSONV, text: ig(Q, MATH), expect: 'bad-json' },
  { name: 'json missing response', method: 'instance', domain: 'math', variants: JSONV, text: js({ instruction: Q, answer: MATH }), expect: 'bad-json' },
  { name: 'json missing instruction', method: 'instance', domain: 'math', variants: JSONV, text: js({ question: Q, response: MATH }), expect: 'bad-json' },
  {
    name: 'json non-string response',
    method: 'instance',
    domain: 'math',
    variants: JSONV,
    text: js({ instruction: Q, response: { steps: [] } }),
    expect: 'bad-json',
  },
  { name: 'json array', method: 'instance', domain: 'math', variants: JSONV, text: `[${js({ instruction: Q, response: MATH })}]`, expect: 'bad-json' },
  {
    name: 'json math still needs the result tag',
    method: 'instance',
    domain: 'math',
    variants: JSONV,
    text: js({ instruction: Q, response: '84' }),
    expect: 'missing-result-tag',
  },

  // Instance generation, code
  { name: 'python block', method: 'instance', domain: 'code', variants: DELIM, text: ig(CODE_Q, CODE), expect: 'ok', instruction: CODE_Q, response: CODE },
  {
    name: '```py is normalised to ```python',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, CODE.replace('```python', '```py')),
    expect: 'ok',
    response: CODE,
  },
  {
    name: 'untagged fence is normalised',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, CODE.replace('```python', '```')),
    expect: 'ok',
    response: CODE,
  },
  {
    name: 'blank lines inside the fence trimmed',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, CODE.replace('```python\n', '```python\n\n')),
    expect: 'ok',
    response: CODE,
  },
  {
    name: 'one-liner',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig('Reverse the string `s` in one expression.', '```python\ns[::-1]\n```'),
    expect: 'ok',
  },
  { name: 'no code block', method: 'instance', domain: 'code', variants: DELIM, text: ig(CODE_Q, 'def double(x):\n    return 2 * x'), expect: 'no-code-block' },
  { name: 'two code blocks', method: 'instance', domain: 'code', variants: DELIM, text: ig(CODE_Q, `${CODE}\n${CODE}`), expect: 'multiple-code-blocks' },
  {
    name: 'prose before the block',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, `Here is the code:\n${CODE}`),
    expect: 'text-outside-code',
  },
  {
    name: 'explanation after the block',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, `${CODE}\nThis function doubles x.`),
    expect: 'text-outside-code',
  },
  {
    name: 'fence never closed',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, '```python\ndef double(x):\n    return 2 * x'),
    expect: 'unclosed-code-block',
  },
  // The official prompts span seven languages: a tagged block in any of them is code.
  {
    name: 'javascript tag',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, '```javascript\nfunction double(x) { return 2 * x; }\n```'),
    expect: 'ok',
    response: '```javascript\nfunction double(x) { return 2 * x; }\n```',
  },
  {
    name: 'java tag',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, '```java\npublic class D {\n  static int twice(int x) { return 2 * x; }\n}\n```'),
    expect: 'ok',
  },
  {
    name: 'c++ tag',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, '```cpp\n#include <iostream>\nint twice(int x) { return 2 * x; }\n```'),
    expect: 'ok',
  },
  { name: 'c tag', method: 'instance', domain: 'code', variants: DELIM, text: ig(CODE_Q, '```c\nint twice(int x) { return 2 * x; }\n```'), expect: 'ok' },
  { name: 'c# tag', method: 'instance', domain: 'code', variants: DELIM, text: ig(CODE_Q, '```csharp\nstatic int Twice(int x) => 2 * x;\n```'), expect: 'ok' },
  {
    name: 'php tag',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, '```php\n<?php\nfunction twice($x) { return 2 * $x; }\n```'),
    expect: 'ok',
  },
  {
    name: 'c++ spelled c++ is normalised to cpp',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, '```c++\nint twice(int x) { return 2 * x; }\n```'),
    expect: 'ok',
    response: '```cpp\nint twice(int x) { return 2 * x; }\n```',
  },
  {
    name: 'a language outside the seven',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, '```rust\nfn twice(x: i32) -> i32 { 2 * x }\n```'),
    expect: 'unsupported-language',
  },
  {
    name: 'python tag on java code',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, '```python\npublic class D {\n  public static void main(String[] a) { System.out.println(1); }\n}\n```'),
    expect: 'not-python',
  },
  {
    name: 'javascript untagged',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, '```\nfunction double(x) {\n  return 2 * x;\n}\n```'),
    expect: 'not-python',
  },
  {
    name: 'c++ untagged',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, '```\n#include <iostream>\nint main() { return 0; }\n```'),
    expect: 'not-python',
  },
  {
    name: 'prose in a block',
    method: 'instance',
    domain: 'code',
    variants: DELIM,
    text: ig(CODE_Q, '```\nJust double the number and return it\n```'),
    expect: 'not-python',
  },
  { name: 'empty block', method: 'instance', domain: 'code', variants: DELIM, text: ig(CODE_Q, '```python\n\n```'), expect: 'empty-response' },
  { name: 'json code', method: 'instance', domain: 'code', variants: JSONV, text: js({ instruction: CODE_Q, response: CODE }), expect: 'ok', response: CODE },
  {
    name: 'json code without fence',
    method: 'instance',
    domain: 'code',
    variants: JSONV,
    text: js({ instruction: CODE_Q, response: 'def double(x):\n    return 2 * x' }),
    expect: 'no-code-block',
  },

  // Instance generation, instruction following
  { name: 'inst pair', method: 'instance', domain: 'inst', variants: DELIM, text: ig(INST_Q, INST), expect: 'ok', instruction: INST_Q, response: INST },
  {
    name: 'markdown response kept',
    method: 'instance',
    domain: 'inst',
    variants: DELIM,
    text: ig(INST_Q, '- Red\n- Yellow\n- Blue'),
    expect: 'ok',
    response: '- Red\n- Yellow\n- Blue',
  },
  { name: 'trivial response', method: 'instance', domain: 'inst', variants: DELIM, text: ig(INST_Q, 'Ok.'), expect: 'too-short' },
  { name: 'json inst', method: 'instance', domain: 'inst', variants: JSONV, text: js({ instruction: INST_Q, response: INST }), expect: 'ok' },
  {
    name: 'json empty response',
    method: 'instance',
    domain: 'inst',
    variants: JSONV,
    text: js({ instruction: INST_Q, response: '  ' }),
    expect: 'empty-response',
  },
  {
    name: 'json empty instruction',
    method: 'instance',
    domain: 'inst',
    variants: JSONV,
    text: js({ instruction: '', response: INST }),
    expect: 'empty-instruction',
  },

  // Response generation: the instruction is the given one
  {
    name: 'math response',
    method: 'response',
    domain: 'math',
    variants: DELIM,
    text: ' 6 x 7 = 42.\n[RESULT] 42 [/RESULT]\n[END]',
    expect: 'ok',
    instruction: GIVEN.instruction,
    response: '6 x 7 = 42.\n[RESULT] 42 [/RESULT]',
    extra: { source: GIVEN },
  },
  {
    name: 'restated OUTPUT:',
    method: 'response',
    domain: 'math',
    variants: DELIM,
    text: 'OUTPUT: 6 x 7 = 42.\n[RESULT] 42 [/RESULT]',
    expect: 'ok',
    response: '6 x 7 = 42.\n[RESULT] 42 [/RESULT]',
    extra: { source: GIVEN },
  },
  {
    name: 'restated INPUT and OUTPUT',
    method: 'response',
    domain: 'math',
    variants: DELIM,
    text: `INPUT: ${GIVEN.instruction}\nOUTPUT: [RESULT] 42 [/RESULT]`,
    expect: 'ok',
    response: '[RESULT] 42 [/RESULT]',
    extra: { source: GIVEN },
  },
  {
    name: 'short given instruction is fine',
    method: 'response',
    domain: 'code',
    variants: DELIM,
    text: CODE,
    expect: 'ok',
    instruction: 'sort',
    extra: { source: { instruction: 'sort' } },
  },
  {
    name: 'math response without tag',
    method: 'response',
    domain: 'math',
    variants: DELIM,
    text: 'It is 42.',
    expect: 'missing-result-tag',
    extra: { source: GIVEN },
  },
  {
    name: 'response runs into a new INPUT',
    method: 'response',
    domain: 'inst',
    variants: DELIM,
    text: `${INST}\nINPUT: next question`,
    expect: 'leaked-marker',
    extra: { source: GIVEN },
  },
  {
    name: 'code response with prose',
    method: 'response',
    domain: 'code',
    variants: DELIM,
    text: `Sure!\n${CODE}`,
    expect: 'text-outside-code',
    extra: { source: GIVEN },
  },
  {
    name: 'json response',
    method: 'response',
    domain: 'inst',
    variants: JSONV,
    text: js({ response: INST }),
    expect: 'ok',
    instruction: GIVEN.instruction,
    response: INST,
    extra: { source: GIVEN },
  },
  {
    name: 'json response, model adds an instruction',
    method: 'response',
    domain: 'inst',
    variants: JSONV,
    text: js({ instruction: 'ignored', response: INST }),
    expect: 'bad-json',
    extra: { source: GIVEN },
  },
  {
    name: 'json math response',
    method: 'response',
    domain: 'math',
    variants: JSONV,
    text: js({ response: '6 x 7 = 42\n[RESULT] 42 [/RESULT]' }),
    expect: 'ok',
    instruction: GIVEN.instruction,
    extra: { source: GIVEN },
  },
  {
    name: 'json code response',
    method: 'response',
    domain: 'code',
    variants: JSONV,
    text: '```json\n' + js({ response: CODE }) + '\n```',
    expect: 'ok',
    response: CODE,
    extra: { source: GIVEN },
  },
  {
    name: 'json response missing',
    method: 'response',
    domain: 'inst',
    variants: JSONV,
    text: js({ answer: INST }),
    expect: 'bad-json',
    extra: { source: GIVEN },
  },
  {
    name: 'response truncated',
    method: 'response',
    domain: 'inst',
    variants: [...DELIM, ...JSONV],
    text: INST,
    expect: 'truncated',
    extra: { source: GIVEN, finishReason: 'length' },
  },

  // Quality enhancement: the revised pair
  {
    name: 'revised pair',
    method: 'quality',
    domain: 'math',
    variants: DELIM,
    text: qe('What is 6 multiplied by 7?', '6 x 7 = 42.\n[RESULT] 42 [/RESULT]'),
    expect: 'ok',
    instruction: 'What is 6 multiplied by 7?',
    response: '6 x 7 = 42.\n[RESULT] 42 [/RESULT]',
    extra: { source: ORIGINAL },
  },
  {
    name: 'bold Revised Answer',
    method: 'quality',
    domain: 'inst',
    variants: DELIM,
    text: ` ${INST_Q}\n\n**Revised Answer:** ${INST}`,
    expect: 'ok',
    instruction: INST_Q,
    response: INST,
  },
  { name: 'lower-case marker', method: 'quality', domain: 'inst', variants: DELIM, text: ` ${INST_Q}\nrevised answer: ${INST}`, expect: 'ok', response: INST },
  {
    name: 'restated Revised Question',
    method: 'quality',
    domain: 'inst',
    variants: DELIM,
    text: `Revised Question: ${INST_Q}\nRevised Answer: ${INST}`,
    expect: 'ok',
    instruction: INST_Q,
  },
  { name: 'no Revised Answer', method: 'quality', domain: 'inst', variants: DELIM, text: ` ${INST_Q}\nAnswer: ${INST}`, expect: 'no-output-marker' },
  {
    name: 'a second revised pair',
    method: 'quality',
    domain: 'inst',
    variants: DELIM,
    text: qe(INST_Q, `${INST}\nRevised Question: again`),
    expect: 'leaked-marker',
  },
  { name: 'revised code', method: 'quality', domain: 'code', variants: DELIM, text: qe(CODE_Q, CODE), expect: 'ok', response: CODE },
  {
    name: 'revised code with assertions',
    method: 'quality',
    domain: 'code',
    variants: DELIM,
    text: qe(CODE_Q, '```python\ndef double(x):\n    return 2 * x\n\nassert double(2) == 4\nassert double(-1) == -2\n```'),
    expect: 'ok',
  },
  {
    name: 'revised java with assertions',
    method: 'quality',
    domain: 'code',
    variants: DELIM,
    text: qe(
      CODE_Q,
      '```java\nclass D {\n  static int twice(int x) { return 2 * x; }\n  public static void main(String[] a) { assert twice(2) == 4; }\n}\n```',
    ),
    expect: 'ok',
  },
  { name: 'revised code still bare', method: 'quality', domain: 'code', variants: DELIM, text: qe(CODE_Q, 'x * 2'), expect: 'no-code-block' },
  {
    name: 'json revised pair',
    method: 'quality',
    domain: 'math',
    variants: JSONV,
    text: js({ instruction: 'What is 6 multiplied by 7?', response: '[RESULT] 42 [/RESULT]' }),
    expect: 'ok',
    instruction: 'What is 6 multiplied by 7?',
  },
  {
    name: 'json revised code',
    method: 'quality',
    domain: 'code',
    variants: JSONV,
    text: js({ instruction: CODE_Q, response: CODE }),
    expect: 'ok',
    response: CODE,
  },
  {
    name: 'json revised inst',
    method: 'quality',
    domain: 'inst',
    variants: JSONV,
    text: js({ instruction: INST_Q, response: INST }),
    expect: 'ok',
    instruction: INST_Q,
    response: INST,
  },
  {
    name: 'json revised pair missing instruction',
    method: 'quality',
    domain: 'math',
    variants: JSONV,
    text: js({ response: '[RESULT] 42 [/RESULT]' }),
    expect: 'bad-json',
  },
];

const expanded = cases.flatMap((c) => c.variants.map((variant) => ({ ...c, variant, text: typeof c.text === 'function' ? c.text(variant) : c.text })));

describe('parseGeneration', () => {
  it.each(expanded.map((c) => [`${c.method}/${c.domain}/${c.variant}: ${c.name}`, c] as const))('%s', (_label, c) => {
    const res = parseGeneration({ method: c.method, domain: c.domain, variant: c.variant, text: c.text, ...c.extra });
    if (c.expect === 'ok') {
      expect(res).toMatchObject({ ok: true });
      if (!res.ok) return;
      if (c.instruction !== undefined) expect(res.instance.instruction).toBe(c.instruction);
      if (c.response !== undefined) expect(res.instance.response).toBe(c.response);
      expect(res.instance.instruction).toBe(res.instance.instruction.trim());
      expect(res.instance.response).toBe(res.instance.response.trim());
    } else {
      expect(res.ok ? 'ok' : res.reason).toBe(c.expect);
      if (!res.ok) expect(res.detail.length).toBeGreaterThan(0);
    }
  });

  it('covers every method, domain and variant', () => {
    const seen = new Set(expanded.map((c) => `${c.method}/${c.domain}/${c.variant}`));
    for (const m of ['instance', 'response', 'quality'])
      for (const d of ['math', 'code', 'inst'])
        for (const v of ['default', 'json', 'unoptimized']) {
          expect.soft(seen.has(`${m}/${d}/${v}`), `${m}/${d}/${v}`).toBe(true);
        }
  });

  it('needs the given instruction for response generation', () => {
    expect(() => parseGeneration({ method: 'response', domain: 'inst', variant: 'default', text: INST })).toThrow(/source\.instruction/);
  });
});
