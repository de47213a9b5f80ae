import { MARKERS, type SeedItem } from '../prompts/types.js';
import type { Domain } from '../setting.js';
import { findCodeBlocks } from './code-block.js';
import { gsm8kFinalAnswer, lastBoxedAnswer } from './math-answer.js';

/**
 * Brings public seed rows to the conventions the meta-prompts ask for, so demos and the
 * seed part of the training data look like what the generators are told to write:
 * GSM8K's `#### 72` and MATH's last `\boxed{}` become `[RESULT] ... [/RESULT]` (GSM8K's
 * `<<48/2=24>>` calculator notes are dropped), bare code (MBPP, CoNaLa) is fenced as
 * ```python. Rows already in the convention, and anything unrecognised, pass unchanged.
 */
export function normalizeSeedResponse(domain: Domain, response: string): string {
  const text = response.replace(/\r\n?/g, '\n');
  switch (domain) {
    case 'math':
      return normalizeMath(text.trim());
    case 'code':
      return normalizeCode(text);
    case 'inst':
      return text.trim();
  }
}

export function normalizeSeedItem(domain: Domain, item: SeedItem): SeedItem {
  const instruction = item.instruction.replace(/\r\n?/g, '\n').trim();
  return item.response === undefined ? { instruction } : { instruction, response: normalizeSeedResponse(domain, item.response) };
}

function normalizeMath(text: string): string {
  if (text.includes(MARKERS.resultOpen)) return text;
  const gsm = gsm8kFinalAnswer(text);
  if (gsm !== undefined) {
    const steps = text
      .replace(/(?:^|\n)####\s*.+?\s*$/, '')
      .replace(/<<[^<>]*>>/g, '')
      .trim();
    return `${steps}\n${result(gsm)}`;
  }
  const boxed = lastBoxedAnswer(text);
  return boxed === undefined ? text : `${text}\n${result(boxed)}`;
}

function normalizeCode(text: string): string {
  if (findCodeBlocks(text).blocks.length > 0) return text.trim();
  // Only blank lines go at the ends: a first line's indentation can matter.
  const code = text
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
  return '```python\n' + code + '\n```';
}

function result(answer: string): string {
  return `${MARKERS.resultOpen} ${answer.trim()} ${MARKERS.resultClose}`;
}
