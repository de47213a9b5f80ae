import { lastBoxed } from './math-extract.js';

/**
 * A number as models write it: thousands separators (`1,450,000`), a currency sign, decimals,
 * a leading `.5`, a unicode minus. Comma groups must be exactly three digits so that a list
 * like `1,2,3` reads as three numbers.
 */
const NUMBER = /[-\u2212]?(?:[$\u20ac\u00a3]\s?)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-\u2212]?\.\d+/g;

/** Phrases after which the final answer follows (the paper's students and common chat styles). */
const ANSWER_PHRASE = /(?:final answer|the answer|answer)\s*(?:is|:|=)\s*:?\s*/gi;

/** The number as plain decimal text (`-1234.5`), or undefined when the text is not one number. */
function cleanNumber(text: string): string | undefined {
  const cleaned = text
    .replace(/\u2212/g, '-')
    .replace(/[$\u20ac\u00a3,\s]/g, '')
    .replace(/\.$/, '');
  return /^-?(?:\d+(?:\.\d+)?|\.\d+)$/.test(cleaned) ? cleaned : undefined;
}

export function parseNumber(text: string): number | undefined {
  const cleaned = cleanNumber(text);
  if (cleaned === undefined) return undefined;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * One spelling per value (`018.50` and `18.5` both give `18.5`), compared as text so that
 * integers beyond 2^53 stay apart too.
 */
function canonicalDecimal(text: string): string | undefined {
  const cleaned = cleanNumber(text);
  if (cleaned === undefined) return undefined;
  const negative = cleaned.startsWith('-');
  let [int = '', frac = ''] = (negative ? cleaned.slice(1) : cleaned).split('.');
  int = int.replace(/^0+/, '') || '0';
  frac = frac.replace(/0+$/, '');
  const abs = frac ? `${int}.${frac}` : int;
  return negative && abs !== '0' ? `-${abs}` : abs;
}

function numbersIn(text: string): string[] {
  return [...text.matchAll(NUMBER)].map((m) => m[0]);
}

function lastNumber(text: string): string | undefined {
  return numbersIn(text).at(-1);
}

function firstNumber(text: string): string | undefined {
  return numbersIn(text)[0];
}

function lastTagged(output: string): string | undefined {
  const tags = [...output.matchAll(/\[RESULT\]([\s\S]*?)\[\/RESULT\]/g)];
  const inner = tags.at(-1)?.[1];
  return inner === undefined ? undefined : (lastNumber(inner) ?? inner.trim());
}

/**
 * The final number of a GSM8K answer, tried in order: `[RESULT] n [/RESULT]` (the paper's
 * format), `#### n` (GSM8K's own), `\boxed{n}`, "the answer is n", else the last number.
 */
export function extractGsm8kAnswer(output: string): string | undefined {
  const tagged = lastTagged(output);
  if (tagged !== undefined) return tagged;
  const hashes = output.lastIndexOf('####');
  if (hashes >= 0) {
    const n = firstNumber(output.slice(hashes + 4));
    if (n !== undefined) return n;
  }
  const boxed = lastBoxed(output);
  if (boxed !== undefined) {
    const n = lastNumber(boxed);
    if (n !== undefined) return n;
  }
  const phrases = [...output.matchAll(ANSWER_PHRASE)];
  const phrase = phrases.at(-1);
  if (phrase?.index !== undefined) {
    const n = firstNumber(output.slice(phrase.index + phrase[0].length));
    if (n !== undefined) return n;
  }
  return lastNumber(output);
}

/** The gold number after `####` in a GSM8K reference solution. */
export function parseGsm8kGold(solution: string): string | undefined {
  const at = solution.lastIndexOf('####');
  if (at < 0) return undefined;
  const gold = solution.slice(at + 4).trim();
  return parseNumber(gold) === undefined ? undefined : gold;
}

/**
 * Numeric comparison, so `18`, `18.00`, `$18` and `18 dollars` all match a gold of 18; but
 * exact, with no tolerance: a relative one let 1450001 pass for a gold of 1,450,000.
 */
export function gsm8kAnswersMatch(extracted: string | undefined, gold: string): boolean {
  if (extracted === undefined) return false;
  const a = canonicalDecimal(extracted);
  const b = canonicalDecimal(gold);
  return a !== undefined && a === b;
}

export function gradeGsm8kOutput(output: string, gold: string): { correct: boolean; extracted?: string } {
  const extracted = extractGsm8kAnswer(output);
  return { correct: gsm8kAnswersMatch(extracted, gold), ...(extracted === undefined ? {} : { extracted }) };
}
