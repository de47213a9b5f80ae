export interface MatrixLayout {
  /** Width of the generator-name column, its trailing blank included. */
  readonly nameWidth: number;
  /** Width of one cell's text (cells are separated by one space, method groups by `│`). */
  readonly cellWidth: number;
  /** Abbreviated headers (`M/ig`) and percentages instead of fractions. */
  readonly compact: boolean;
  /** Generator rows (two text lines each) that fit on screen at once. */
  readonly visibleRows: number;
  /** Text lines of the column header. */
  readonly headerLines: number;
}

export const MIN_CELL_WIDTH = 6;
const MAX_CELL_WIDTH = 14;
const MIN_NAME_WIDTH = 6;
const MAX_NAME_WIDTH = 20;
/** Below this the full domain and method names do not fit over the columns. */
const WIDE_CELL_WIDTH = 8;
/** One space before each cell, and before each group of three columns a `│` (after the first, with a space before it too). */
function separators(columns: number): number {
  const groups = Math.ceil(columns / 3);
  return columns + groups + (groups - 1);
}

export interface MatrixLayoutInput {
  readonly width: number;
  readonly height: number;
  readonly longestName: number;
  /** Lines the rest of the screen takes (header, status, footer...). */
  readonly reservedLines: number;
  /** Setting columns; the paper's nine by default. */
  readonly columns?: number;
}

/**
 * Fits the cells of a row (nine in the paper's sweep) into `width`, giving the name column what is left after each
 * cell gets at least MIN_CELL_WIDTH, and the rows into `height` minus one line: a live
 * region as tall as the terminal makes Ink clear and reprint everything on every frame.
 */
export function computeMatrixLayout(input: MatrixLayoutInput): MatrixLayout {
  const usable = Math.max(1, input.width - 1);
  const columns = Math.max(1, input.columns ?? 9);
  const seps = separators(columns);
  let nameWidth = Math.min(MAX_NAME_WIDTH, Math.max(MIN_NAME_WIDTH, input.longestName + 1));
  let cellWidth = Math.floor((usable - nameWidth - seps) / columns);
  if (cellWidth < MIN_CELL_WIDTH) {
    cellWidth = MIN_CELL_WIDTH;
    nameWidth = Math.max(MIN_NAME_WIDTH, usable - seps - columns * MIN_CELL_WIDTH);
  }
  cellWidth = Math.min(MAX_CELL_WIDTH, cellWidth);
  const compact = cellWidth < WIDE_CELL_WIDTH;
  const headerLines = compact ? 1 : 2;
  const free = input.height - 1 - input.reservedLines - headerLines;
  return { nameWidth, cellWidth, compact, headerLines, visibleRows: Math.max(1, Math.floor(free / 2)) };
}

export interface RowWindow {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** The rows to show: `visible` of `count`, keeping `selected` near the middle. */
export function windowRows(selected: number, count: number, visible: number): RowWindow {
  if (count <= visible) return { start: 0, end: count };
  const start = Math.max(0, Math.min(count - visible, selected - Math.floor(visible / 2)));
  return { start, end: start + visible };
}
