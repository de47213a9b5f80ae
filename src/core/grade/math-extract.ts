/**
 * The content of the last `\boxed{...}` (or `\fbox{...}`) with balanced braces, as in
 * Hendrycks' `last_boxed_only_string` + `remove_boxed`; `\boxed 5` (no braces) is read too.
 */
export function lastBoxed(text: string): string | undefined {
  const at = Math.max(text.lastIndexOf('\\boxed'), text.lastIndexOf('\\fbox'));
  if (at < 0) return undefined;
  const macro = text.startsWith('\\boxed', at) ? '\\boxed' : '\\fbox';
  let i = at + macro.length;
  if (text[i] === ' ') {
    // `\boxed 5`: the argument runs to the next `$` or whitespace.
    const rest = text.slice(i + 1);
    const m = /^[^\s$]+/.exec(rest);
    return m?.[0];
  }
  if (text[i] !== '{') return undefined;
  let depth = 0;
  const start = i + 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return text.slice(start, i);
    }
  }
  return undefined;
}

function tidy(answer: string): string {
  let a = answer.trim();
  // `$x$`, `\(x\)`, `\[x\]` wrappers and a closing full stop are not part of the answer.
  for (;;) {
    const before = a;
    a = a.replace(/^\$+|\$+$/g, '').trim();
    a = a.replace(/^\\\(|\\\)$/g, '').trim();
    a = a.replace(/^\\\[|\\\]$/g, '').trim();
    a = a.replace(/\.$/, '').trim();
    if (a === before) return a;
  }
}

/**
 * The answer of a MATH output: `[RESULT] ... [/RESULT]` (the paper's format; a `\boxed{}`
 * inside it is unwrapped), else the last `\boxed{}`, else Minerva's "The final answer is X".
 */
export function extractMathAnswer(output: string): string | undefined {
  const tags = [...output.matchAll(/\[RESULT\]([\s\S]*?)\[\/RESULT\]/g)];
  const tagged = tags.at(-1)?.[1];
  if (tagged !== undefined) {
    const inner = lastBoxed(tagged) ?? tagged;
    const a = tidy(inner);
    if (a !== '') return a;
  }
  const boxed = lastBoxed(output);
  if (boxed !== undefined) return tidy(boxed);
  const finals = [...output.matchAll(/final answer is\s*:?\s*(.+?)(?:\.\s*I hope it is correct|\n|$)/gi)];
  const fin = finals.at(-1)?.[1];
  return fin === undefined ? undefined : tidy(fin);
}

/** A MATH item's gold answer: the `answer` field (MATH-500), else the solution's last `\boxed{}`. */
export function mathGold(record: { readonly answer?: string; readonly solution: string }): string | undefined {
  if (record.answer !== undefined && record.answer.trim() !== '') return record.answer.trim();
  const boxed = lastBoxed(record.solution);
  return boxed === undefined ? undefined : boxed.trim();
}
