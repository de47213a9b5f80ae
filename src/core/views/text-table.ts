import { fit } from './format.js';

export interface TextColumn {
  readonly header: string;
  readonly align: 'left' | 'right';
}

export interface TextTable {
  readonly header: string;
  readonly rows: readonly string[];
}

/** The width `layoutTable` leaves its first column (a name), so names can be shortened to it first. */
export function firstColumnRoom(columns: readonly TextColumn[], rows: readonly (readonly string[])[], width: number): number {
  const widths = columns.map((c, i) => Math.max([...c.header].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const sum = widths.reduce((a, b) => a + b, 0);
  if (sum + 2 * (columns.length - 1) <= width) return widths[0] ?? 0;
  const over = sum + (columns.length - 1) - width;
  return over > 0 ? Math.max(4, (widths[0] ?? 0) - over) : (widths[0] ?? 0);
}

/**
 * Lays out a table in at most `width` characters: columns as wide as their content, two
 * spaces apart (one when tight); when still too wide, the first column (a name) gives way.
 */
export function layoutTable(columns: readonly TextColumn[], rows: readonly (readonly string[])[], width: number): TextTable {
  const widths = columns.map((c, i) => Math.max([...c.header].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const total = (gap: number) => widths.reduce((a, b) => a + b, 0) + gap * (columns.length - 1);
  const gap = total(2) <= width ? 2 : 1;
  const over = total(gap) - width;
  if (over > 0 && widths[0] !== undefined) widths[0] = Math.max(4, widths[0] - over);
  const render = (cells: readonly string[]) =>
    columns
      .map((c, i) => fit(cells[i] ?? '', widths[i] ?? 0, c.align))
      .join(' '.repeat(gap))
      .trimEnd();
  return { header: render(columns.map((c) => c.header)), rows: rows.map(render) };
}
