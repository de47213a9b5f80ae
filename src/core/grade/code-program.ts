import type { HumanEvalItem, MbppItem } from './types.js';

const FENCE = /```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g;
const PYTHON_LANGS = new Set(['', 'python', 'py', 'python3', 'py3']);

/**
 * The code in a model's answer: a fenced block (the one defining `entryPoint` when given,
 * else the first Python block; an unclosed fence of a truncated answer runs to the end),
 * MBPP's original `[BEGIN] ... [DONE]`, else the whole output.
 */
export function extractCode(output: string, entryPoint?: string): string {
  const blocks = [...output.matchAll(FENCE)].map((m) => ({ lang: (m[1] ?? '').toLowerCase(), code: m[2] ?? '' }));
  const python = blocks.filter((b) => PYTHON_LANGS.has(b.lang));
  const pool = python.length > 0 ? python : blocks;
  if (pool.length > 0) {
    const defines = entryPoint ? pool.find((b) => new RegExp(`\\bdef\\s+${escapeRe(entryPoint)}\\s*\\(`).test(b.code)) : undefined;
    return (defines ?? pool[0])?.code ?? '';
  }
  const begin = /\[BEGIN\]([\s\S]*?)(?:\[DONE\]|$)/.exec(output);
  if (begin) return (begin[1] ?? '').replace(/^\s*'|'\s*$/g, '');
  return output;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * HumanEval's test program. When the answer defines the entry point itself it follows the
 * original prompt (which keeps the prompt's imports and helper functions in scope, as in
 * evalplus); otherwise it is a completion of the prompt, as in the original harness.
 */
export function humanEvalProgram(item: HumanEvalItem, output: string): string {
  const code = extractCode(output, item.entryPoint);
  const definesEntry = new RegExp(`(^|\\n)\\s*def\\s+${escapeRe(item.entryPoint)}\\s*\\(`).test(code);
  const solution = definesEntry ? `${item.functionPrompt}\n\n${code}` : `${item.functionPrompt}${code}`;
  return `${solution}\n\n${item.test}\n\ncheck(${item.entryPoint})\n`;
}

/**
 * MBPP's test program: the answer's code, `test_setup_code`, then the asserts of `test_list`.
 * The setup goes after the code because the only tasks that have one (367, 927) build trees
 * from the `Node` class the solution defines.
 */
export function mbppProgram(item: MbppItem, output: string): string {
  const code = extractCode(output);
  return `${code}\n\n${item.testSetupCode}\n${item.testList.join('\n')}\n`;
}
