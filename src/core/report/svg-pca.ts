import { esc, px } from './svg-parts.js';

/** The PCA's two charts in the html report: explained variance as bars, the loadings as a diverging heatmap. */

type Rgb = readonly [number, number, number];
const WHITE: Rgb = [247, 247, 247];
const BLUE: Rgb = [33, 102, 172];
const RED: Rgb = [178, 24, 43];

/** A loading's fill: white at 0, blue towards +1, red towards -1 (the matrix's RdBu ends), |w| clamped to 1. */
export function loadingRgb(w: number): Rgb {
  const t = Math.min(1, Math.abs(w));
  const end = w < 0 ? RED : BLUE;
  return WHITE.map((c, i) => Math.round(c + (end[i]! - c) * t)) as unknown as Rgb;
}

/** A number with `digits` decimals, never `-0.00`: a loading that rounds to zero has no sign to show. */
export function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

const hex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const ink = (c: Rgb) => (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] < 140 ? '#ffffff' : '#1a1a1a');

/** The bars' colour: apart from the generators' palette and the PGR scale, so a screenshot tells them apart. */
export const BAR_FILL = '#8c6bb1';

/** Sizes in px: a bar of share 1 is `barW` long, from `left`. */
export const BARS = { left: 56, top: 8, barW: 480, rowH: 26, barH: 18, right: 170 } as const;

export interface VarianceBar {
  readonly label: string;
  readonly ratio: number;
  readonly cumulative: number;
}

/** One horizontal bar per component, its share of the variance, with the share and the running total written beside it. */
export function svgVarianceBars(bars: readonly VarianceBar[], ariaLabel: string): string {
  const width = BARS.left + BARS.barW + BARS.right;
  const height = BARS.top * 2 + bars.length * BARS.rowH;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart bars" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(ariaLabel)}" font-size="12">`,
  ];
  bars.forEach((b, i) => {
    const y = BARS.top + i * BARS.rowH;
    const w = Math.max(1, b.ratio * BARS.barW);
    const words = `${(100 * b.ratio).toFixed(1)}% (cumulative ${(100 * b.cumulative).toFixed(1)}%)`;
    out.push(`<text x="${BARS.left - 8}" y="${px(y + BARS.barH / 2 + 4)}" text-anchor="end">${esc(b.label)}</text>`);
    out.push(
      `<rect x="${BARS.left}" y="${px(y)}" width="${px(w)}" height="${BARS.barH}" fill="${BAR_FILL}"><title>${esc(`${b.label}: ${words}`)}</title></rect>`,
    );
    out.push(`<text x="${px(BARS.left + w + 6)}" y="${px(y + BARS.barH / 2 + 4)}" class="axis">${esc(words)}</text>`);
  });
  out.push(`<line x1="${BARS.left}" y1="${BARS.top}" x2="${BARS.left}" y2="${px(height - BARS.top)}" class="frame"/>`, '</svg>');
  return out.join('\n');
}

/** Sizes in px of the loadings heatmap: rows are metrics, columns components. */
export const LOAD = { labelW: 200, cellW: 64, cellH: 26, headerH: 24 } as const;

/** `loadings[k][j]`: metric j's weight in component k. */
export function svgLoadings(metrics: readonly string[], components: readonly string[], loadings: readonly (readonly number[])[], ariaLabel: string): string {
  const width = LOAD.labelW + components.length * LOAD.cellW + 8;
  const height = LOAD.headerH + metrics.length * LOAD.cellH + 8;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart loadings" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(ariaLabel)}" font-size="12">`,
  ];
  components.forEach((c, k) => {
    out.push(`<text x="${px(LOAD.labelW + (k + 0.5) * LOAD.cellW)}" y="16" text-anchor="middle" class="head">${esc(c)}</text>`);
  });
  metrics.forEach((m, j) => {
    const y = LOAD.headerH + j * LOAD.cellH;
    out.push(`<text x="${LOAD.labelW - 8}" y="${px(y + LOAD.cellH / 2 + 4)}" text-anchor="end">${esc(m)}</text>`);
    components.forEach((c, k) => {
      const w = loadings[k]?.[j];
      if (w === undefined) return;
      const rgb = loadingRgb(w);
      const x = LOAD.labelW + k * LOAD.cellW;
      out.push(
        `<rect x="${px(x + 1)}" y="${px(y + 1)}" width="${LOAD.cellW - 2}" height="${LOAD.cellH - 2}" fill="${hex(rgb)}"><title>${esc(`${m} in ${c}: ${w.toFixed(3)}`)}</title></rect>`,
        `<text x="${px(x + LOAD.cellW / 2)}" y="${px(y + LOAD.cellH / 2 + 4)}" text-anchor="middle" fill="${ink(rgb)}">${esc(fixed(w, 2))}</text>`,
      );
    });
  });
  out.push('</svg>');
  return out.join('\n');
}
