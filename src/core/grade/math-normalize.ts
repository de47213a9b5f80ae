/**
 * Answer normalisation for MATH beyond Hendrycks' `strip_string`, after PRM800K's
 * `grader._normalize`: `\text{}`/`\mbox{}` wrappers and units, degrees, percent and dollar
 * signs, thousands separators, a leading `x =`, `\dfrac`, `\sqrt2`, `\frac12`, `a/b`,
 * `.5`/`2.50`/`3.0`, outer braces, case of text answers. Both sides get the same treatment.
 */

const UNIT_WORDS = [
  'degree',
  'cm',
  'centimeter',
  'mm',
  'km',
  'meter',
  'mile',
  'second',
  'sec',
  'minute',
  'min',
  'hour',
  'day',
  'week',
  'month',
  'year',
  'foot',
  'feet',
  'ft',
  'inch',
  'inches',
  'in',
  'yard',
  'unit',
  'cent',
  'dollar',
  'square',
  'sq',
  'cubic',
  'mph',
  'pound',
  'lb',
  'ounce',
  'oz',
  'gram',
  'kg',
  'liter',
  'ml',
  'student',
  'people',
  'person',
  'way',
  'point',
  'page',
  'edge',
  'vertice',
  'vertex',
  'book',
  'coin',
  'marble',
];
const UNIT = `(?:${UNIT_WORDS.join('|')})(?:es|s)?`;
// Only after a digit or a closing brace, and no single letters, so that `\sin` or `2m` (a
// variable) is never taken for a unit.
const TRAILING_UNITS = new RegExp(`(?<=[0-9}])\\s*(?:${UNIT}\\s*)+(?:\\^\\{?[23]\\}?)?$`);

function unwrapText(s: string): string {
  // A whole-answer `\text{Evelyn}` keeps its content; `5\text{ cm}^2` loses the unit.
  const whole = /^\\(?:text|textbf|mbox|mathrm)\{([^{}]*)\}$/.exec(s);
  if (whole) return (whole[1] ?? '').trim();
  s = s.replace(/\\(?:text|mbox|mathrm)\{\s*([a-zA-Z\s.]*)\}(?:\^\{?[23]\}?)?\s*$/, (all, word: string) =>
    word.trim() === '' || new RegExp(`^(?:${UNIT}\\s*)+\\.?$`, 'i').test(word.trim()) ? '' : all,
  );
  return s.replace(/\\(?:text|textbf|mbox|mathrm)\{([^{}]*)\}/g, '$1');
}

function fixFracs(s: string): string {
  return s
    .replace(/\\frac\s*(\d|[a-zA-Z])\s*(\d|[a-zA-Z])/g, '\\frac{$1}{$2}')
    .replace(/\\frac\s*(\d|[a-zA-Z])\s*\{/g, '\\frac{$1}{')
    .replace(/\\frac\s*(\{[^{}]*\})\s*(\d|[a-zA-Z])(?![a-zA-Z])/g, '\\frac$1{$2}');
}

function canonicalNumber(s: string): string {
  if (!/^-?(?:\d+\.?\d*|\.\d+)$/.test(s)) return s;
  let t = s.startsWith('-.') ? `-0${s.slice(1)}` : s.startsWith('.') ? `0${s}` : s;
  if (t.includes('.')) t = t.replace(/0+$/, '').replace(/\.$/, '');
  t = t.replace(/^(-?)0+(?=\d)/, '$1');
  return t === '-0' ? '0' : t;
}

export function normalizeMathAnswer(input: string): string {
  // Matrix row breaks (`\\`) are kept apart from spacing commands (`\ `, `\,`) while those go.
  let s = input.trim().replace(/\n/g, ' ').replace(/\\\\/g, '\u0001');
  s = s.replace(/\\[dt]frac/g, '\\frac').replace(/\\left|\\right/g, '');
  s = s.replace(/\\[!,;:]|\\ |~|\\quad|\\qquad/g, ' ');
  s = s.replace(/\\displaystyle/g, '');
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\u00b0/g, '');
  s = s.replace(/\\%|%/g, '').replace(/\\\$|\$/g, '');
  s = unwrapText(s.trim());
  s = s.replace(TRAILING_UNITS, '').trim();
  s = s.replace(/\\(?:mathbf|boldsymbol)\{([^{}]*)\}/g, '$1');
  s = s.replace(/\u03c0/g, '\\pi').replace(/\u221e/g, '\\infty');
  // `x = 5`, `k=5`, `\theta = 5`, `x \in [1,2]`: a single variable name on the left goes.
  const lhs = /^\s*(?:[a-zA-Z](?:_\{?\w+\}?)?|\\[a-zA-Z]+)\s*(?:=|\\in)\s*(.+)$/.exec(s);
  if (lhs && !(lhs[1] ?? '').includes('=')) s = lhs[1] ?? s;
  // Choice answers: `(B)`, `\text{(B)}`, `B`.
  const choice = /^\(([A-E])\)$/.exec(s.trim());
  if (choice) s = choice[1] ?? s;
  s = s.replace(/\\sqrt\s*(\d|[a-zA-Z])/g, '\\sqrt{$1}');
  s = fixFracs(s);
  // A mixed number written with a space, `137 1/2`, before spaces go and it reads 1371/2.
  s = s.replace(/^\s*(-?\d+)\s+(\d+)\s*\/\s*(\d+)\s*$/, '$1\\frac{$2}{$3}');
  // Thousands separators inside a single number: `32,348`, `11,111,111,100`.
  if (/^-?\d{1,3}(?:,\s*\d{3})+(?:\.\d+)?$/.test(s.trim())) s = s.replace(/,\s*/g, '');
  // Spaces go, except one that keeps a command apart from a following letter (`\pi r`).
  s = s
    .replace(/(\\[a-zA-Z]+)\s+(?=[a-zA-Z])/g, '$1\u0000')
    .replace(/\s+/g, '')
    .replace(/\u0000/g, ' ');
  const slash = /^(-?\d+)\/(\d+)$/.exec(s);
  if (slash) s = `\\frac{${slash[1]}}{${slash[2]}}`;
  s = s.replace(/^-\\frac\{(\d+)\}\{(\d+)\}$/, '\\frac{-$1}{$2}');
  while (/^\{.*\}$/.test(s) && balanced(s.slice(1, -1))) s = s.slice(1, -1);
  s = canonicalNumber(s);
  if (/^[a-zA-Z ]+$/.test(s)) s = s.toLowerCase();
  return s.replace(/\u0001/g, '\\\\');
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Top-level comma split, ignoring commas inside braces or brackets. */
export function splitTopLevel(s: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if ('{(['.includes(c) || s.startsWith('\\{', i)) depth++;
    else if ('})]'.includes(c)) depth--;
    if (c === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** A plain number (integer or decimal) or a fraction of two integers, as a rational p/q. */
export function asRational(s: string): { p: bigint; q: bigint } | undefined {
  // A mixed number, as MATH writes them: `1\frac{4}{5}` is 9/5.
  const mixed = /^(-?)(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}$/.exec(s);
  if (mixed) {
    const q = BigInt(mixed[4] ?? '1');
    if (q === 0n) return undefined;
    const p = BigInt(mixed[2] ?? '0') * q + BigInt(mixed[3] ?? '0');
    return { p: mixed[1] === '-' ? -p : p, q };
  }
  const frac = /^\\frac\{(-?\d+)\}\{(-?\d+)\}$/.exec(s) ?? /^(-?\d+)\/(-?\d+)$/.exec(s);
  if (frac) {
    const q = BigInt(frac[2] ?? '1');
    return q === 0n ? undefined : { p: BigInt(frac[1] ?? '0'), q };
  }
  const dec = /^(-?)(\d*)\.?(\d*)$/.exec(s);
  if (!dec || (dec[2] === '' && dec[3] === '')) return undefined;
  const digits = `${dec[2] ?? ''}${dec[3] ?? ''}` || '0';
  return { p: BigInt(`${dec[1] ?? ''}${digits}`), q: 10n ** BigInt((dec[3] ?? '').length) };
}

export function isIntegerString(s: string): boolean {
  return /^-?\d+$/.test(s);
}

export function isFractionString(s: string): boolean {
  return /^-?\\frac\{-?\d+\}\{-?\d+\}$/.test(s) || /^-?\d+\/-?\d+$/.test(s);
}
