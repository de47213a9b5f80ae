/**
 * Colours of the html report. PGR runs on a diverging scale: red for a student that lost
 * ground (clamped at -50, where pgr-flags.ts stops reading a PGR as recovery), near white at 0,
 * blue towards 100 (the whole gap recovered; beyond it stays the darkest blue). ColorBrewer's
 * RdBu ends, which stay apart for the common colour-vision deficiencies.
 */
type Rgb = readonly [number, number, number];

const STOPS: readonly (readonly [number, Rgb])[] = [
  [-50, [178, 24, 43]],
  [0, [247, 247, 247]],
  [100, [33, 102, 172]],
];

/** A cell without a PGR (not scored, or scored without one). */
export const NO_PGR_FILL = '#e6e6e6';

const hex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

export function pgrRgb(v: number): Rgb {
  const [lo, mid, hi] = STOPS as [(typeof STOPS)[0], (typeof STOPS)[0], (typeof STOPS)[0]];
  const [a, b] = v < mid[0] ? [lo, mid] : [mid, hi];
  const t = Math.max(0, Math.min(1, (v - a[0]) / (b[0] - a[0])));
  return a[1].map((c, i) => Math.round(c + (b[1][i]! - c) * t)) as unknown as Rgb;
}

/** `#rrggbb` for a PGR: 50 gives the midpoint of white and blue, #8cafd2. */
export function pgrFill(v: number): string {
  return hex(pgrRgb(v));
}

/** Dark text on light fills, white on dark ones, so every number stays readable. */
export function textOn(v: number): string {
  const [r, g, b] = pgrRgb(v);
  return 0.299 * r + 0.587 * g + 0.114 * b < 140 ? '#ffffff' : '#1a1a1a';
}

/** One colour per generator (Tableau 10), in the sweep's order; repeats past ten, with the legend to tell. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function generatorColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}
