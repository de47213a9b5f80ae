/**
 * A line-for-line port of the MATH paper's answer normalisation (hendrycks/math
 * `math_equivalence.py`, reused unchanged by lm-eval-harness `hendrycks_math` and PRM800K's
 * `math_normalize.py`). Kept faithful on purpose, quirks included, so that our verdicts can be
 * compared with the established harnesses; `normalizeMathAnswer` builds on it.
 */

class StripError extends Error {}

function fixFracs(s: string): string {
  const substrs = s.split('\\frac');
  let out = substrs[0] ?? '';
  for (const sub of substrs.slice(1)) {
    out += '\\frac';
    if (sub.length === 0) throw new StripError('\\frac at the end');
    if (sub[0] === '{') {
      out += sub;
      continue;
    }
    if (sub.length < 2) return s;
    const a = sub[0] ?? '';
    const b = sub[1] ?? '';
    if (b !== '{') out += `{${a}}{${b}}${sub.slice(2)}`;
    else out += `{${a}}${b}${sub.slice(2)}`;
  }
  return out;
}

function fixASlashB(s: string): string {
  const parts = s.split('/');
  if (parts.length !== 2) return s;
  const [a, b] = parts as [string, string];
  // Python's int() accepts surrounding whitespace and a sign; the round trip must reproduce s.
  if (!/^\s*[-+]?\d+\s*$/.test(a) || !/^\s*[-+]?\d+\s*$/.test(b)) return s;
  const ia = BigInt(a.trim());
  const ib = BigInt(b.trim());
  if (s !== `${ia}/${ib}`) return s;
  return `\\frac{${ia}}{${ib}}`;
}

function removeRightUnits(s: string): string {
  if (!s.includes('\\text{ ')) return s;
  const splits = s.split('\\text{ ');
  if (splits.length !== 2) throw new StripError('more than one "\\text{ "');
  return splits[0] ?? '';
}

function fixSqrt(s: string): string {
  if (!s.includes('\\sqrt')) return s;
  const splits = s.split('\\sqrt');
  let out = splits[0] ?? '';
  for (const split of splits.slice(1)) {
    if (split.length === 0) throw new StripError('\\sqrt at the end');
    out += split[0] !== '{' ? `\\sqrt{${split[0]}}${split.slice(1)}` : `\\sqrt${split}`;
  }
  return out;
}

/** Hendrycks' `strip_string`; throws where the Python original raises. */
export function hendrycksStripString(input: string): string {
  let s = input.replace(/\n/g, '');
  s = s.replaceAll('\\!', '');
  s = s.replaceAll('\\\\', '\\');
  s = s.replaceAll('tfrac', 'frac').replaceAll('dfrac', 'frac');
  s = s.replaceAll('\\left', '').replaceAll('\\right', '');
  s = s.replaceAll('^{\\circ}', '').replaceAll('^\\circ', '');
  s = s.replaceAll('\\$', '');
  s = removeRightUnits(s);
  s = s.replaceAll('\\%', '');
  s = s.replaceAll(' .', ' 0.').replaceAll('{.', '{0.');
  if (s.length === 0) return s;
  if (s[0] === '.') s = `0${s}`;
  const eq = s.split('=');
  if (eq.length === 2 && (eq[0] ?? '').length <= 2) s = eq[1] ?? '';
  s = fixSqrt(s);
  s = s.replaceAll(' ', '');
  s = fixFracs(s);
  if (s === '0.5') s = '\\frac{1}{2}';
  s = fixASlashB(s);
  return s;
}

/** Hendrycks' `is_equiv`: equal after `strip_string`, or raw-equal where stripping raises. */
export function hendrycksIsEquiv(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined && b === undefined) return true;
  if (a === undefined || b === undefined) return false;
  try {
    return hendrycksStripString(a) === hendrycksStripString(b);
  } catch {
    return a === b;
  }
}
