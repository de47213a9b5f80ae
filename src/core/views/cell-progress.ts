import type { CellSnapshot } from '../snapshot.js';
import { STAGE_LETTER, STATE_STYLE } from './cell-style.js';
import { fit, formatCount, formatPercent, formatPgr, formatUsdShort } from './format.js';

/** `$1.23`, `$12.3`, `$123`, `$1.2k`: three significant digits; finer steps only churn the screen. */
const CELL_COST_CHARS = 5;

export interface ProgressFraction {
  readonly done: number;
  readonly total: number;
  /** What is being counted: accepted instances, optimizer steps, graded items. */
  readonly unit: 'accepted' | 'steps' | 'graded';
}

/** accepted/target while generating, step/total while training, graded/total while evaluating. */
export function cellProgress(cell: CellSnapshot): ProgressFraction | undefined {
  const p = cell.progress;
  if (p && p.stage === cell.stage) {
    switch (p.stage) {
      case 'generate':
        return { done: p.accepted, total: p.target, unit: 'accepted' };
      case 'train':
        return { done: p.step, total: p.totalSteps, unit: 'steps' };
      case 'evaluate':
        return { done: p.graded, total: p.total, unit: 'graded' };
      case 'score':
        return undefined;
    }
  }
  // A resumed or stopped generate stage still has its counts without live progress.
  if (cell.stage === 'generate' && (cell.accepted > 0 || cell.state !== 'pending')) {
    return { done: cell.accepted, total: cell.target, unit: 'accepted' };
  }
  return undefined;
}

/** The cell's PGR as text, or undefined when it has not been scored. */
export function cellPgrText(cell: CellSnapshot, decimals = 1): string | undefined {
  const pgr = cell.scores?.pgr;
  if (!pgr) return undefined;
  return 'value' in pgr ? formatPgr(pgr.value, decimals) : 'n/a';
}

export interface CellLines {
  /** State glyph, stage letter, then progress or PGR. */
  readonly top: string;
  /** Cost so far (API plus GPU). */
  readonly bottom: string;
}

/**
 * The two text lines of one matrix cell, each exactly `width` characters (>= 6). Richer
 * forms are chosen when they fit: `1.2k/10k` before `12%`. `glyphOverride`: a spinner frame
 * for running cells (one column, like the glyph).
 */
export function formatCellLines(cell: CellSnapshot, width: number, glyphOverride?: string): CellLines {
  const glyph = glyphOverride ?? STATE_STYLE[cell.state].glyph;
  // Room for the detail after the glyph, the stage letter and a space.
  const room = width - 3;
  let detail = '';
  const pgr = cellPgrText(cell, 1);
  if (pgr !== undefined) {
    detail = pgr.length <= room + 1 ? pgr : (cellPgrText(cell, 0) ?? pgr);
  } else {
    const prog = cellProgress(cell);
    if (prog) {
      const fraction = `${formatCount(prog.done)}/${formatCount(prog.total)}`;
      const pct = prog.total > 0 ? formatPercent(prog.done / prog.total) : '';
      detail = fraction.length <= room ? fraction : pct;
    }
  }
  // A scored cell is always at the score stage, so its letter gives way to the PGR's decimal.
  const head = pgr !== undefined && detail.length > room ? glyph : `${glyph}${STAGE_LETTER[cell.stage]}`;
  const top = fit(detail ? `${head} ${detail}` : head, width);
  const cost = cell.costUsd + cell.gpuCostUsd;
  const bottom = fit(cost > 0 ? formatUsdShort(cost, Math.min(width, CELL_COST_CHARS)) : '', width);
  return { top, bottom };
}
