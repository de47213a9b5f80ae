/** Building blocks shared by the html report's SVG charts: escaping, coordinates, axis ticks. */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text or an attribute value made safe for HTML and SVG: generator ids, error messages and
 * reasons come from configs, providers and tracebacks, and must never become markup.
 */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A coordinate with at most two decimals, so the markup stays short and diffs stay stable. */
export function px(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export interface Ticks {
  readonly values: readonly number[];
  readonly step: number;
  /** The axis runs from the first tick to the last, so every point lies inside. */
  readonly min: number;
  readonly max: number;
}

/**
 * Evenly spaced round ticks (1, 2 or 5 times a power of ten) covering [lo, hi] in about
 * `target` steps: (0, 20) gives 0, 5, ..., 20; (-10, 50) gives -20, 0, ..., 60.
 */
export function niceTicks(lo: number, hi: number, target = 5): Ticks {
  const span = hi - lo;
  let step = 1;
  if (span > 0) {
    const raw = span / target;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const norm = raw / mag;
    step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  }
  const first = Math.floor(lo / step);
  let last = Math.ceil(hi / step);
  if (last === first) last = first + 1;
  // toPrecision: 0.1 * 3 is 0.30000000000000004, and a tick label must read 0.3.
  const values = Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toPrecision(12)));
  return { values, step, min: values[0]!, max: values[values.length - 1]! };
}

/** A tick's label with as many decimals as its step needs (step 0.5: one; step 20: none). */
export function tickLabel(v: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const s = v.toFixed(decimals);
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}

/** Maps [d0, d1] onto [r0, r1] (r1 < r0 for a y axis that grows upwards). */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}
