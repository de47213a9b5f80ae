/**
 * Field mapping for seed rows: dotted paths (`turns.0.content`, `conversations.1.value`)
 * and fallbacks (`rewritten_intent|intent`: the first that is a non-empty string), plus
 * row filters such as MBPP's train split (`task_id` 601-974).
 */

export type Scalar = string | number | boolean;

export interface RowFilter {
  readonly field: string;
  readonly min?: number;
  readonly max?: number;
  readonly equals?: Scalar;
  readonly in?: readonly Scalar[];
  /** true: keep rows where the field is missing, null, "" or []; false: the opposite. */
  readonly empty?: boolean;
}

export type FieldLookup = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly problem: string };

export function getPath(row: unknown, dotted: string): unknown {
  let cur: unknown = row;
  for (const key of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? (/^\d+$/.test(key) ? cur[Number(key)] : undefined) : (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function lookupField(row: unknown, spec: string): FieldLookup {
  const alternatives = spec.split('|').map((s) => s.trim());
  let sawNonString: string | undefined;
  for (const alt of alternatives) {
    const v = getPath(row, alt);
    if (typeof v === 'string' && v.trim() !== '') return { ok: true, value: v };
    if (typeof v === 'number') return { ok: true, value: String(v) };
    if (v !== undefined && v !== null && typeof v !== 'string') sawNonString ??= `${alt} is ${Array.isArray(v) ? 'an array' : typeof v}, not a string`;
  }
  if (sawNonString) return { ok: false, problem: `field "${spec}" is not text (${sawNonString})` };
  const present = alternatives.some((alt) => typeof getPath(row, alt) === 'string');
  return { ok: false, problem: present ? `field "${spec}" is empty` : `field "${spec}" missing` };
}

export function matchesFilters(row: unknown, filters: RowFilter | readonly RowFilter[] | undefined): boolean {
  if (!filters) return true;
  const list: readonly RowFilter[] = Array.isArray(filters) ? filters : [filters as RowFilter];
  return list.every((f) => matchesFilter(row, f));
}

function matchesFilter(row: unknown, f: RowFilter): boolean {
  const v = getPath(row, f.field);
  if (f.empty !== undefined) {
    const isEmpty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    if (isEmpty !== f.empty) return false;
  }
  if (f.min !== undefined || f.max !== undefined) {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isNaN(n)) return false;
    if (f.min !== undefined && n < f.min) return false;
    if (f.max !== undefined && n > f.max) return false;
  }
  if (f.equals !== undefined && v !== f.equals) return false;
  if (f.in !== undefined && !f.in.includes(v as Scalar)) return false;
  return true;
}
