import { hendrycksIsEquiv } from './hendrycks-strip.js';
import { asRational, isFractionString, isIntegerString, normalizeMathAnswer, splitTopLevel } from './math-normalize.js';
import type { SymbolicChecker, SymbolicVerdict } from './types.js';

export interface MathMatch {
  readonly equal: boolean;
  /** The rule that decided: Hendrycks' strip_string, our normalisation, exact rationals, sympy. */
  readonly by: 'hendrycks' | 'normalized' | 'numeric' | 'symbolic' | 'none';
  /** Set when a symbolic check was wanted and did not say equal/different (timeout, unavailable...). */
  readonly symbolic?: SymbolicVerdict;
}

type Shape = { kind: 'single'; value: string } | { kind: 'ordered'; open: string; close: string; items: string[] } | { kind: 'unordered'; items: string[] };

function matrixRows(s: string): string[] | undefined {
  const m = /^\\begin\{[pbv]?matrix\}(.*)\\end\{[pbv]?matrix\}$/.exec(s);
  if (!m) return undefined;
  return (m[1] ?? '')
    .split(/\\\\/)
    .flatMap((row) => row.split('&'))
    .filter((c) => c !== '');
}

function shapeOf(s: string): Shape {
  const shape = rawShapeOf(s);
  if (shape.kind === 'single') return shape;
  return { ...shape, items: shape.items.map(normalizeMathAnswer) };
}

function rawShapeOf(s: string): Shape {
  const matrix = matrixRows(s);
  if (matrix) return { kind: 'ordered', open: 'matrix', close: 'matrix', items: matrix };
  if (s.includes('\\cup')) return { kind: 'ordered', open: 'cup', close: 'cup', items: s.split('\\cup') };
  const set = /^\\\{(.*)\\\}$/.exec(s);
  if (set) return { kind: 'unordered', items: splitTopLevel(set[1] ?? '') };
  const open = s[0] ?? '';
  const close = s.at(-1) ?? '';
  if ('(['.includes(open) && ')]'.includes(close) && s.length > 1) {
    const items = splitTopLevel(s.slice(1, -1));
    if (items.length > 1) return { kind: 'ordered', open, close, items };
  }
  const items = splitTopLevel(s);
  // "Enter all the solutions, separated by commas": the order is free.
  if (items.length > 1) return { kind: 'unordered', items };
  return { kind: 'single', value: s };
}

interface ElementMatch {
  equal: boolean;
  by: MathMatch['by'];
  symbolic?: SymbolicVerdict;
}

async function elementsMatch(pred: string, gold: string, checker: SymbolicChecker | undefined): Promise<ElementMatch> {
  if (pred === gold) return { equal: true, by: 'normalized' };
  // PRM800K's rule: an integer gold needs an integer answer (no `\frac{4}{2}`), and vice versa.
  if (isIntegerString(pred) !== isIntegerString(gold)) return { equal: false, by: 'normalized' };
  // Words (`even`, `east`, a name) compare as text only.
  if (/^[a-z ]+$/i.test(pred) && /^[a-z ]+$/i.test(gold)) return { equal: false, by: 'normalized' };
  const rp = asRational(pred);
  const rg = asRational(gold);
  if (rp && rg) {
    // PRM800K's rule: an unreduced fraction is not the answer, so two fractions must match as written.
    if (isFractionString(pred) && isFractionString(gold)) return { equal: false, by: 'normalized' };
    return { equal: rp.p * rg.q === rg.p * rp.q, by: 'numeric' };
  }
  if (!checker) return { equal: false, by: 'none', symbolic: 'unavailable' };
  const verdict = await checker.equivalent(pred, gold);
  if (verdict === 'equal') return { equal: true, by: 'symbolic' };
  if (verdict === 'different') return { equal: false, by: 'symbolic' };
  return { equal: false, by: 'none', symbolic: verdict };
}

function combine(parts: readonly ElementMatch[]): ElementMatch {
  const equal = parts.every((p) => p.equal);
  const symbolic = parts.find((p) => p.symbolic !== undefined)?.symbolic;
  const by = parts.some((p) => p.by === 'symbolic')
    ? 'symbolic'
    : parts.some((p) => p.by === 'numeric')
      ? 'numeric'
      : equal
        ? 'normalized'
        : (parts.find((p) => !p.equal)?.by ?? 'none');
  return { equal, by, ...(symbolic === undefined || equal ? {} : { symbolic }) };
}

/**
 * Whether a MATH answer equals the gold: Hendrycks' `is_equiv` first (so we are never stricter
 * than the established harness), then our normalisation, tuples/intervals/sets/matrices element
 * by element, exact rationals (`0.5` = `\frac{1}{2}`), and sympy for what is left.
 */
export async function mathAnswersMatch(pred: string | undefined, gold: string, checker?: SymbolicChecker): Promise<MathMatch> {
  if (pred === undefined || pred.trim() === '') return { equal: false, by: 'none' };
  if (hendrycksIsEquiv(pred, gold)) return { equal: true, by: 'hendrycks' };
  return combine([await structuredMatch(normalizeMathAnswer(pred), normalizeMathAnswer(gold), checker, 0)]);
}

async function structuredMatch(np: string, ng: string, checker: SymbolicChecker | undefined, depth: number): Promise<ElementMatch> {
  if (np === ng) return { equal: true, by: 'normalized' };
  const sg = shapeOf(ng);
  const sp = shapeOf(np);
  if (sg.kind === 'single' && sp.kind === 'single') return elementsMatch(np, ng, checker);
  if (sg.kind !== sp.kind || sg.kind === 'single' || sp.kind === 'single' || depth > 3) return { equal: false, by: 'normalized' };
  if (sg.items.length !== sp.items.length) return { equal: false, by: 'normalized' };
  if (sg.kind === 'ordered' && sp.kind === 'ordered') {
    if (sg.open !== sp.open || sg.close !== sp.close) return { equal: false, by: 'normalized' };
    const parts: ElementMatch[] = [];
    for (let i = 0; i < sg.items.length; i++) {
      const part = await structuredMatch(sp.items[i] ?? '', sg.items[i] ?? '', checker, depth + 1);
      parts.push(part);
      if (!part.equal) break;
    }
    return combine(parts);
  }
  // Unordered: match every gold element to a distinct predicted one, exact matches first.
  const left = [...sp.items];
  const golds = [...sg.items].sort((a, b) => Number(left.includes(b)) - Number(left.includes(a)));
  const parts: ElementMatch[] = [];
  for (const g of golds) {
    let miss: ElementMatch = { equal: false, by: 'normalized' };
    let hit: ElementMatch | undefined;
    for (let j = 0; j < left.length && !hit; j++) {
      const part = await structuredMatch(left[j] ?? '', g, checker, depth + 1);
      if (part.equal) {
        hit = part;
        left.splice(j, 1);
      } else if (part.symbolic !== undefined) miss = part;
    }
    parts.push(hit ?? miss);
    if (!hit) break;
  }
  return combine(parts);
}
