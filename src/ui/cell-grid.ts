import type { CellSnapshot, GeneratorSnapshot, RunSnapshot } from '../core/snapshot.js';
import { parseSetting } from '../core/setting.js';

/** One matrix row: a generator, in the sweep's main meta-prompt variant or one of the ablation's. */
export interface GridRow {
  readonly generator: GeneratorSnapshot;
  readonly variant?: string;
}

export interface CellGrid {
  at(row: number, col: number): CellSnapshot | undefined;
  row(r: number): GridRow | undefined;
  readonly rows: number;
  readonly cols: number;
}

const cache = new WeakMap<RunSnapshot, CellGrid>();

/**
 * Cells by (row, setting column), built once per snapshot. Each generator has one row, plus one
 * per further meta-prompt variant when metaPrompt is a list: the ablation's cells
 * (`math/instance@json`) sit under their setting's column, in their variant's row.
 */
export function cellGrid(run: RunSnapshot): CellGrid {
  const hit = cache.get(run);
  if (hit) return hit;
  const variants = [undefined, ...(run.variants ?? [])];
  const rows: GridRow[] = run.generators.flatMap((generator) => variants.map((variant) => (variant === undefined ? { generator } : { generator, variant })));
  const rowIndex = new Map(rows.map((r, i) => [`${r.generator.id}\t${r.variant ?? ''}`, i]));
  const setIndex = new Map(run.settings.map((s, i) => [s as string, i]));
  const cols = run.settings.length;
  const cells: (CellSnapshot | undefined)[] = new Array(rows.length * cols);
  for (const c of run.cells) {
    const { id, variant } = parseSetting(c.setting);
    const r = rowIndex.get(`${c.generator}\t${variant ?? ''}`);
    const k = setIndex.get(id);
    if (r !== undefined && k !== undefined) cells[r * cols + k] = c;
  }
  const grid: CellGrid = {
    rows: rows.length,
    cols,
    at: (row, col) => (row >= 0 && col >= 0 && row < rows.length && col < cols ? cells[row * cols + col] : undefined),
    row: (r) => rows[r],
  };
  cache.set(run, grid);
  return grid;
}
