import type { CellSnapshot, RunSnapshot } from '../core/snapshot.js';

export interface CellGrid {
  at(row: number, col: number): CellSnapshot | undefined;
  readonly rows: number;
  readonly cols: number;
}

const cache = new WeakMap<RunSnapshot, CellGrid>();

/** Cells by (generator row, setting column), built once per snapshot. */
export function cellGrid(run: RunSnapshot): CellGrid {
  const hit = cache.get(run);
  if (hit) return hit;
  const genIndex = new Map(run.generators.map((g, i) => [g.id, i]));
  const setIndex = new Map(run.settings.map((s, i) => [s, i]));
  const cols = run.settings.length;
  const cells: (CellSnapshot | undefined)[] = new Array(run.generators.length * cols);
  for (const c of run.cells) {
    const r = genIndex.get(c.generator);
    const k = setIndex.get(c.setting);
    if (r !== undefined && k !== undefined) cells[r * cols + k] = c;
  }
  const grid: CellGrid = {
    rows: run.generators.length,
    cols,
    at: (row, col) => (row >= 0 && col >= 0 && row < run.generators.length && col < cols ? cells[row * cols + col] : undefined),
  };
  cache.set(run, grid);
  return grid;
}
