import type { ParseFailureReason } from './types.js';

export interface CodeBlock {
  /** The info string after the opening fence, lower-cased ("python", "" ...). */
  readonly lang: string;
  readonly code: string;
}

export type CodeCheck =
  | { readonly ok: true; readonly block: CodeBlock; readonly normalized: string }
  | { readonly ok: false; readonly reason: ParseFailureReason; readonly detail: string };

const FENCE = /^[ \t]*```[ \t]*([^\s`]*)[^\n]*$/;
const PYTHON_TAGS = new Set(['', 'python', 'python3', 'py', 'py3']);

/**
 * The languages the official code prompts name (Python, Java, C++, C, JavaScript, C#, PHP),
 * by the fence tags models write for them, mapped to the tag the prompts ask for.
 */
const LANGUAGE_TAGS: Readonly<Record<string, string>> = {
  java: 'java',
  cpp: 'cpp',
  'c++': 'cpp',
  cxx: 'cpp',
  c: 'c',
  javascript: 'javascript',
  js: 'javascript',
  csharp: 'csharp',
  'c#': 'csharp',
  cs: 'csharp',
  php: 'php',
};
/** The fence tags a code answer may carry, as the prompts spell them. */
export const CODE_LANGUAGES = ['python', 'java', 'cpp', 'c', 'javascript', 'csharp', 'php'] as const;

/** Fenced blocks by line-start fences, plus whether a fence is left open (often a cut reply). */
export function findCodeBlocks(text: string): { blocks: CodeBlock[]; unclosed: boolean; outside: string } {
  const blocks: CodeBlock[] = [];
  const outside: string[] = [];
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const fence = FENCE.exec(line);
    if (open) {
      if (line.trim() === '```') {
        blocks.push({ lang: open.lang, code: open.lines.join('\n') });
        open = undefined;
      } else open.lines.push(line);
    } else if (fence) open = { lang: (fence[1] ?? '').toLowerCase(), lines: [] };
    else outside.push(line);
  }
  return { blocks, unclosed: open !== undefined, outside: outside.join('\n').trim() };
}

/**
 * The code convention: the response is exactly one fenced block and nothing else (the
 * reference validator rejects prose around the code), in one of the seven languages the
 * official prompts name. Untagged and Python-tagged blocks must look like Python; the block
 * is re-fenced with its canonical tag (```python, ```cpp ...) so the training data is uniform.
 * Test assertions inside the block are code like any other (quality enhancement asks for them).
 */
export function checkCodeResponse(response: string): CodeCheck {
  const { blocks, unclosed, outside } = findCodeBlocks(response);
  if (unclosed) return { ok: false, reason: 'unclosed-code-block', detail: 'a ``` fence is never closed' };
  if (blocks.length === 0) return { ok: false, reason: 'no-code-block', detail: 'no fenced ``` code block' };
  if (blocks.length > 1) return { ok: false, reason: 'multiple-code-blocks', detail: `${blocks.length} code blocks, expected exactly one` };
  const block = blocks[0] as CodeBlock;
  if (outside) return { ok: false, reason: 'text-outside-code', detail: `text outside the code block: "${outside.slice(0, 40)}"` };
  const code = trimBlankLines(block.code);
  if (!code.trim()) return { ok: false, reason: 'empty-response', detail: 'the code block is empty' };
  const other = LANGUAGE_TAGS[block.lang];
  if (other) return { ok: true, block: { lang: other, code }, normalized: '```' + other + '\n' + code + '\n```' };
  if (!PYTHON_TAGS.has(block.lang)) {
    return { ok: false, reason: 'unsupported-language', detail: `code block tagged "${block.lang}" (expected one of ${CODE_LANGUAGES.join(', ')})` };
  }
  const why = notPythonBecause(code);
  if (why) return { ok: false, reason: 'not-python', detail: `${why}; a block in another language needs its tag` };
  return { ok: true, block: { lang: 'python', code }, normalized: '```python\n' + code + '\n```' };
}

/** A cheap screen, not a parser: catches other languages and prose, lets real Python through. */
export function notPythonBecause(code: string): string | undefined {
  const foreign: [RegExp, string][] = [
    [/#include\s*[<"]/, 'C/C++ #include'],
    [/\bpublic\s+(static\s+)?(void|class|int|String)\b/, 'Java/C# declarations'],
    [/\bSystem\.out\.print/, 'Java System.out'],
    [/\bconsole\.log\s*\(/, 'JavaScript console.log'],
    [/^\s*(function\s+\w+\s*\(|const\s+\w+\s*=|let\s+\w+\s*=)/m, 'JavaScript declarations'],
    [/^\s*fn\s+\w+\s*\(/m, 'Rust fn'],
    [/^\s*package\s+\w+\s*$/m, 'Go/Java package'],
    [/\bstd::/, 'C++ std::'],
  ];
  for (const [re, what] of foreign) if (re.test(code)) return `looks like another language (${what})`;
  const lines = code
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  // Stray semicolons are legal Python (MBPP has some); C-like code also lacks `:` block openers.
  const braced = lines.filter((l) => l.endsWith(';') || l.endsWith('{') || /^}\s*;?$/.test(l)).length;
  const blocks = lines.filter((l) => l.endsWith(':')).length;
  if (lines.length >= 3 && blocks === 0 && braced * 2 > lines.length) return 'most lines end with ";" or braces and none opens a block with ":"';
  const pythonish = [
    /^\s*(def|class|import|from|for|while|if|with|try|return|print|assert|async|lambda|raise|yield)\b/m,
    /^\s*[A-Za-z_][\w.]*(\s*\[[^\]]*\])*(\s*,\s*[A-Za-z_][\w.]*)*\s*[-+*/%|&^]?=[^=]/m,
    /[A-Za-z_][\w.]*\s*\(.*\)/,
    // One-line expressions, as in CoNaLa: subscripts and slices, literals, comprehensions.
    /[A-Za-z_]\w*\s*\[[^\]]*\]/,
    /^\s*[[({'"]/m,
    /\bfor\s+\w+(\s*,\s*\w+)*\s+in\b/,
    /^\s*[A-Za-z_]\w*(\.[A-Za-z_]\w*)+\s*$/,
  ];
  if (!pythonish.some((re) => re.test(code))) return 'no Python statements, assignments or calls';
  return undefined;
}

function trimBlankLines(code: string): string {
  const lines = code.split('\n');
  while (lines.length && !lines[0]?.trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1]?.trim()) lines.pop();
  return lines.join('\n');
}
