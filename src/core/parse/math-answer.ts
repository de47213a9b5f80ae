import { MARKERS } from '../prompts/types.js';
import type { ParseFailureReason } from './types.js';

export interface ResultTagProblem {
  readonly reason: ParseFailureReason;
  readonly detail: string;
}

/**
 * The paper's math convention: the solution ends with exactly one `[RESULT] answer [/RESULT]`
 * (the reference validator requires one of each tag and the closing tag last).
 */
export function checkResultTag(response: string): ResultTagProblem | undefined {
  const opens = count(response, MARKERS.resultOpen);
  const closes = count(response, MARKERS.resultClose);
  if (opens === 0 || closes === 0) {
    return { reason: 'missing-result-tag', detail: `needs "${MARKERS.resultOpen} answer ${MARKERS.resultClose}" (found ${opens} opening, ${closes} closing)` };
  }
  if (opens > 1 || closes > 1) return { reason: 'multiple-result-tags', detail: `found ${opens} opening and ${closes} closing tags` };
  const open = response.indexOf(MARKERS.resultOpen);
  const close = response.indexOf(MARKERS.resultClose);
  if (close < open) return { reason: 'missing-result-tag', detail: `${MARKERS.resultClose} comes before ${MARKERS.resultOpen}` };
  if (response.slice(open + MARKERS.resultOpen.length, close).trim() === '') return { reason: 'empty-result', detail: 'nothing between the result tags' };
  const after = response.slice(close + MARKERS.resultClose.length).trim();
  if (after) return { reason: 'text-after-result', detail: `text after ${MARKERS.resultClose}: "${after.slice(0, 40)}"` };
  return undefined;
}

/** The answer inside the last `[RESULT] ... [/RESULT]`, trimmed. */
export function extractResult(text: string): string | undefined {
  const close = text.lastIndexOf(MARKERS.resultClose);
  if (close === -1) return undefined;
  const open = text.lastIndexOf(MARKERS.resultOpen, close);
  if (open === -1) return undefined;
  const answer = text.slice(open + MARKERS.resultOpen.length, close).trim();
  return answer || undefined;
}

/** The contents of the last `\boxed{...}` (or `\fbox{...}`), braces balanced; MATH's answer convention. */
export function lastBoxedAnswer(text: string): string | undefined {
  const at = Math.max(text.lastIndexOf('\\boxed'), text.lastIndexOf('\\fbox'));
  if (at === -1) return undefined;
  const rest = /^\\(?:boxed|fbox)\s*/.exec(text.slice(at));
  const brace = at + (rest?.[0].length ?? 0);
  if (text[brace] !== '{') {
    // `\boxed 5` (no braces) occurs in a few MATH solutions.
    return /^[^\s$]+/.exec(text.slice(brace))?.[0];
  }
  let depth = 0;
  for (let i = brace; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return text.slice(brace + 1, i).trim() || undefined;
    }
  }
  return undefined;
}

/** GSM8K's answer convention: the final line `#### 72`. */
export function gsm8kFinalAnswer(text: string): string | undefined {
  const m = /(?:^|\n)####\s*(.+?)\s*$/.exec(text);
  return m?.[1];
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}
