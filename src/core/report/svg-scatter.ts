import { esc, linear, niceTicks, px, tickLabel, type Ticks } from './svg-parts.js';

export interface ScatterPoint {
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly color: string;
  /** Tooltip: the numbers behind the point. */
  readonly title: string;
}

/** A legend row; without a colour it is a series with nothing to plot (drawn hollow and grey). */
export interface ScatterLegendRow {
  readonly color?: string;
  readonly text: string;
}

export interface ScatterSpec {
  readonly points: readonly ScatterPoint[];
  readonly legend: readonly ScatterLegendRow[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** A tick label from its value and the ticks' step (`$5`, `$0.25`). */
  readonly xTick: (v: number, step: number) => string;
  readonly ariaLabel: string;
}

/** Sizes in px: the plot area is `plotW` x `plotH` from (`left`, `top`); the legend starts `legendGap` right of it. */
export const SCATTER = { left: 64, top: 20, plotW: 480, plotH: 320, bottom: 56, legendGap: 40, legendW: 340, rowH: 20, r: 6 } as const;

/** Room a point's label needs on its right (about 16 characters at 11 px). */
const LABEL_ROOM = 100;

export interface ScatterFrame {
  readonly x: Ticks;
  readonly y: Ticks;
  /** Data to px. */
  readonly sx: (v: number) => number;
  readonly sy: (v: number) => number;
  readonly width: number;
  readonly height: number;
}

/**
 * Axes for the points: x from 0 (a cost axis starts at nothing spent), y always holding 0 (no
 * recovery), both widened to round ticks.
 */
export function scatterFrame(spec: Pick<ScatterSpec, 'points' | 'legend'>): ScatterFrame {
  const xs = spec.points.map((p) => p.x);
  const ys = spec.points.map((p) => p.y);
  const x = niceTicks(0, Math.max(0, ...xs));
  const y = niceTicks(Math.min(0, ...ys), Math.max(0, ...ys));
  const x1 = SCATTER.left + SCATTER.plotW;
  const y1 = SCATTER.top + SCATTER.plotH;
  const legendH = SCATTER.top + spec.legend.length * SCATTER.rowH + 10;
  return {
    x,
    y,
    sx: linear(x.min, x.max, SCATTER.left, x1),
    sy: linear(y.min, y.max, y1, SCATTER.top),
    width: x1 + SCATTER.legendGap + SCATTER.legendW,
    height: Math.max(y1 + SCATTER.bottom, legendH),
  };
}

function axesMarkup(spec: ScatterSpec, f: ScatterFrame): string[] {
  const x0 = SCATTER.left;
  const x1 = x0 + SCATTER.plotW;
  const y1 = SCATTER.top + SCATTER.plotH;
  const out: string[] = [];
  for (const v of f.y.values) {
    const y = f.sy(v);
    out.push(`<line x1="${px(x0)}" y1="${px(y)}" x2="${px(x1)}" y2="${px(y)}" class="${v === 0 ? 'zero' : 'grid'}"/>`);
    out.push(`<text x="${px(x0 - 8)}" y="${px(y + 4)}" text-anchor="end" class="axis">${esc(tickLabel(v, f.y.step))}</text>`);
  }
  for (const v of f.x.values) {
    const x = f.sx(v);
    out.push(`<line x1="${px(x)}" y1="${px(y1)}" x2="${px(x)}" y2="${px(y1 + 5)}" class="tick"/>`);
    out.push(`<text x="${px(x)}" y="${px(y1 + 19)}" text-anchor="middle" class="axis">${esc(spec.xTick(v, f.x.step))}</text>`);
  }
  out.push(`<line x1="${px(x0)}" y1="${px(y1)}" x2="${px(x1)}" y2="${px(y1)}" class="frame"/>`);
  out.push(`<line x1="${px(x0)}" y1="${px(SCATTER.top)}" x2="${px(x0)}" y2="${px(y1)}" class="frame"/>`);
  out.push(`<text x="${px((x0 + x1) / 2)}" y="${px(y1 + 42)}" text-anchor="middle" class="title">${esc(spec.xLabel)}</text>`);
  const cy = SCATTER.top + SCATTER.plotH / 2;
  out.push(`<text x="16" y="${px(cy)}" text-anchor="middle" transform="rotate(-90 16 ${px(cy)})" class="title">${esc(spec.yLabel)}</text>`);
  return out;
}

function legendMarkup(spec: ScatterSpec): string[] {
  const lx = SCATTER.left + SCATTER.plotW + SCATTER.legendGap;
  return spec.legend.map((row, i) => {
    const y = SCATTER.top + i * SCATTER.rowH + 6;
    const mark = row.color
      ? `<circle cx="${px(lx + 6)}" cy="${px(y)}" r="${SCATTER.r}" fill="${esc(row.color)}"/>`
      : `<circle cx="${px(lx + 6)}" cy="${px(y)}" r="${SCATTER.r - 1}" fill="none" stroke="#999999" stroke-width="1.5"/>`;
    return `${mark}<text x="${px(lx + 18)}" y="${px(y + 4)}" class="${row.color ? 'legend' : 'legend missing'}">${esc(row.text)}</text>`;
  });
}

/** A scatter plot with axes, round ticks, axis titles, labelled points and a legend, as one SVG element. */
export function svgScatter(spec: ScatterSpec): string {
  const f = scatterFrame(spec);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart scatter" width="${px(f.width)}" height="${px(f.height)}" viewBox="0 0 ${px(f.width)} ${px(f.height)}" role="img" aria-label="${esc(spec.ariaLabel)}" font-size="12">`,
    ...axesMarkup(spec, f),
  ];
  for (const p of spec.points) {
    const cx = f.sx(p.x);
    const cy = f.sy(p.y);
    out.push(`<circle cx="${px(cx)}" cy="${px(cy)}" r="${SCATTER.r}" fill="${esc(p.color)}" class="point"><title>${esc(p.title)}</title></circle>`);
    // Near the right edge the label goes left of its point, clear of the legend.
    const left = cx > SCATTER.left + SCATTER.plotW - LABEL_ROOM;
    const lx = left ? cx - SCATTER.r - 3 : cx + SCATTER.r + 3;
    out.push(`<text x="${px(lx)}" y="${px(cy - SCATTER.r)}"${left ? ' text-anchor="end"' : ''} class="label">${esc(p.label)}</text>`);
  }
  out.push(...legendMarkup(spec), '</svg>');
  return out.join('\n');
}
