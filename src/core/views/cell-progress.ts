import type { CellSnapshot } from '../snapshot.js';
import { STAGE_LETTER, STATE_STYLE } from './cell-style.js';
import { fit, formatCount, formatInt, formatPercent, formatPgr, formatUsdShort, plural } from './format.js';

/** `$1.23`, `$12.3`, `$123`, `$1.2k`: three significant digits; finer steps only churn the screen. */
const CELL_COST_CHARS = 5;

export interface ProgressFraction {
  readonly done: number;
  readonly total: number;
  /** What is being counted: accepted instances, optimizer steps, graded items. */
  readonly unit: 'accepted' | 'steps' | 'graded' | 'measured';
}

/** accepted/target while generating, step/total while training, graded/total while evaluating, measured/total for the metrics. */
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
      case 'metrics':
        return { done: p.done, total: p.total, unit: 'measured' };
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

/** A PGR for a narrow cell: whole numbers, and thousands as `2k` (PGR has no upper bound). */
function compactPgr(cell: CellSnapshot): string | undefined {
  const pgr = cell.scores?.pgr;
  if (!pgr || !('value' in pgr) || Math.abs(pgr.value) < 999.5) return cellPgrText(cell, 0);
  return `${formatPgr(pgr.value / 1000, 0)}k`;
}

/**
 * The two text lines of one matrix cell, each exactly `width` characters (>= 6). Richer
 * forms are chosen when they fit: `1.2k/10k` before `12%`, the stage letter before nothing.
 * A PGR leaves its cell's last column blank, so it never touches the next column and a mark
 * can follow it. `glyphOverride`: a spinner frame for running cells (one column, like the glyph).
 */
export function formatCellLines(cell: CellSnapshot, width: number, glyphOverride?: string): CellLines {
  const glyph = glyphOverride ?? STATE_STYLE[cell.state].glyph;
  const letter = `${glyph}${STAGE_LETTER[cell.stage]}`;
  // While its metrics are measured, a scored cell shows how far they are; its PGR again once done.
  const measuring = cell.stage === 'metrics' && cell.state === 'running' && cellProgress(cell) !== undefined;
  const pgr = measuring ? undefined : cellPgrText(cell, 1);
  let details: string[] = [];
  let room = width;
  if (pgr !== undefined) {
    details = [pgr, compactPgr(cell) ?? pgr];
    room = width - 1;
  } else {
    const prog = cellProgress(cell);
    if (prog) details = [`${formatCount(prog.done)}/${formatCount(prog.total)}`, prog.total > 0 ? formatPercent(prog.done / prog.total) : '?%'];
  }
  // Progress keeps its stage letter before its richer form (the letter says which stage);
  // a PGR keeps its decimal before the letter (a scored cell is at the score or metrics stage).
  const withLetter = details.map((d) => `${letter} ${d}`);
  const without = details.map((d) => `${glyph} ${d}`);
  const forms = details.length === 0 ? [letter] : pgr !== undefined ? details.flatMap((_, i) => [withLetter[i]!, without[i]!]) : [...withLetter, ...without];
  let top = fit(forms.find((f) => [...f].length <= room) ?? forms[forms.length - 1]!, width);
  // The mark in the column a PGR leaves blank: this PGR cannot be read as recovery (issue 9).
  const pgrValue = cell.scores?.pgr;
  if (pgrValue && 'flag' in pgrValue && pgrValue.flag !== undefined) top = `${[...top].slice(0, -1).join('')}!`;
  const cost = cell.costUsd + cell.gpuCostUsd;
  const bottom = fit(cost > 0 ? formatUsdShort(cost, Math.min(width, CELL_COST_CHARS)) : '', width);
  return { top, bottom };
}

/** `2 batches at the provider: 340/1000 done`: a batch cell's progress while its answers are out. */
export function atProviderText(b: NonNullable<CellSnapshot['atProvider']>): string {
  return `${plural(b.batches, 'batch', 'batches')} at the provider: ${formatInt(b.done)}/${formatInt(b.total)} done`;
}
