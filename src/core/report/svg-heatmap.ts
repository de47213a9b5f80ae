import { NO_PGR_FILL, pgrFill, textOn } from './pgr-color.js';
import { esc, px } from './svg-parts.js';

/** One square of the matrix: its PGR (absent: none yet, or none possible), the text shown, and the tooltip. */
export interface HeatCell {
  readonly value?: number;
  readonly text: string;
  readonly title: string;
  /** In-page link to the cell's drill-down (`#cell-3`). */
  readonly href?: string;
}

/** A column header in two lines: the domain over the method. */
export interface HeatColumn {
  readonly top: string;
  readonly bottom: string;
}

export interface HeatmapSpec {
  readonly rows: readonly string[];
  readonly columns: readonly HeatColumn[];
  /** `cells[row][column]`. */
  readonly cells: readonly (readonly HeatCell[])[];
}

/** Sizes in px. A row label gets `charW` per character (12 px sans), up to `maxLabelChars`. */
export const HEAT = { cellW: 84, cellH: 30, headerH: 40, charW: 7, labelPad: 12, maxLabelChars: 28, legendH: 48, swatchW: 12 } as const;

/** The scale's swatches: -50 to 100 in steps of 10 (past both ends the colour stays). */
const LEGEND_VALUES = Array.from({ length: 16 }, (_, i) => -50 + i * 10);

export interface HeatmapLayout {
  readonly labelW: number;
  readonly width: number;
  readonly height: number;
  /** Left edge of column `c`, top edge of row `r`. */
  readonly x: (c: number) => number;
  readonly y: (r: number) => number;
}

export function heatmapLayout(spec: Pick<HeatmapSpec, 'rows' | 'columns'>): HeatmapLayout {
  const longest = Math.min(HEAT.maxLabelChars, Math.max(4, ...spec.rows.map((r) => r.length)));
  const labelW = longest * HEAT.charW + HEAT.labelPad;
  const gridW = spec.columns.length * HEAT.cellW;
  // The scale's swatches, a gap, the no-PGR swatch and its words (about 320 px at 11 px).
  const legendW = (LEGEND_VALUES.length + 2) * HEAT.swatchW + 340;
  return {
    labelW,
    width: labelW + Math.max(gridW, legendW),
    height: HEAT.headerH + spec.rows.length * HEAT.cellH + HEAT.legendH,
    x: (c) => labelW + c * HEAT.cellW,
    y: (r) => HEAT.headerH + r * HEAT.cellH,
  };
}

const cutLabel = (s: string) => (s.length > HEAT.maxLabelChars ? `${s.slice(0, HEAT.maxLabelChars - 1)}…` : s);

function cellMarkup(cell: HeatCell, x: number, y: number): string {
  const fill = cell.value === undefined ? NO_PGR_FILL : pgrFill(cell.value);
  const ink = cell.value === undefined ? '#555555' : textOn(cell.value);
  const body =
    `<rect x="${px(x + 1)}" y="${px(y + 1)}" width="${HEAT.cellW - 2}" height="${HEAT.cellH - 2}" fill="${fill}"><title>${esc(cell.title)}</title></rect>` +
    `<text x="${px(x + HEAT.cellW / 2)}" y="${px(y + HEAT.cellH / 2 + 4)}" text-anchor="middle" fill="${ink}">${esc(cell.text)}</text>`;
  return cell.href ? `<a href="${esc(cell.href)}">${body}</a>` : body;
}

function legendMarkup(layout: HeatmapLayout, top: number): string {
  const out: string[] = [`<text x="${px(layout.labelW - 8)}" y="${px(top + 10)}" text-anchor="end" class="axis">PGR</text>`];
  LEGEND_VALUES.forEach((v, i) => {
    const x = layout.labelW + i * HEAT.swatchW;
    out.push(`<rect x="${px(x)}" y="${px(top)}" width="${HEAT.swatchW}" height="12" fill="${pgrFill(v)}"/>`);
    if (v % 50 === 0) out.push(`<text x="${px(x + HEAT.swatchW / 2)}" y="${px(top + 26)}" text-anchor="middle" class="axis">${v}</text>`);
  });
  const nx = layout.labelW + (LEGEND_VALUES.length + 1) * HEAT.swatchW;
  out.push(`<rect x="${px(nx)}" y="${px(top)}" width="${HEAT.swatchW}" height="12" fill="${NO_PGR_FILL}"/>`);
  out.push(`<text x="${px(nx + HEAT.swatchW + 4)}" y="${px(top + 10)}" class="axis">no PGR: · pending, n/a none possible, else the state</text>`);
  return out.join('');
}

/** The matrix as an SVG heatmap: one row per generator, one column per setting, PGR coloured and written. */
export function svgHeatmap(spec: HeatmapSpec, ariaLabel: string): string {
  const layout = heatmapLayout(spec);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart heatmap" width="${px(layout.width)}" height="${px(layout.height)}" viewBox="0 0 ${px(layout.width)} ${px(layout.height)}" role="img" aria-label="${esc(ariaLabel)}" font-size="12">`,
  ];
  spec.columns.forEach((col, c) => {
    const cx = layout.x(c) + HEAT.cellW / 2;
    out.push(`<text x="${px(cx)}" y="16" text-anchor="middle" class="head">${esc(col.top)}</text>`);
    out.push(`<text x="${px(cx)}" y="32" text-anchor="middle" class="head">${esc(col.bottom)}</text>`);
  });
  spec.rows.forEach((row, r) => {
    const y = layout.y(r);
    out.push(`<text x="${px(layout.labelW - 8)}" y="${px(y + HEAT.cellH / 2 + 4)}" text-anchor="end">${esc(cutLabel(row))}<title>${esc(row)}</title></text>`);
    spec.columns.forEach((_, c) => {
      const cell = spec.cells[r]?.[c];
      if (cell) out.push(cellMarkup(cell, layout.x(c), y));
    });
  });
  out.push(legendMarkup(layout, HEAT.headerH + spec.rows.length * HEAT.cellH + 14));
  out.push('</svg>');
  return out.join('\n');
}
