import { summarizeCostPgr, type CostPgrSummary } from '../report/cost-pgr.js';
import type { RunSnapshot } from '../snapshot.js';
import { fit, formatPgr, formatUsd } from './format.js';

/** One letter per generator, in the run's order, so a generator keeps its mark as cells get scored. */
const MARKS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Where two generators fall on one character: both stay in the legend with their numbers. */
const SHARED = '&';
const MAX_PLOT_ROWS = 12;
const MIN_PLOT_ROWS = 3;
const MIN_PLOT_COLS = 10;

export const markOf = (i: number): string => MARKS[i] ?? '?';

/**
 * Per generator: what generating its data cost (its cells' generation calls; not the judge's
 * calls on its students, even when the judge is this same generator) and the mean PGR of its
 * scored settings: the paper's cost axis.
 */
export function costPgrSummaries(run: Pick<RunSnapshot, 'generators' | 'settings' | 'cells'>): CostPgrSummary[] {
  const pgrOf = new Map(run.cells.map((c) => [`${c.generator}\t${c.setting}`, c.scores?.pgr]));
  const generationCost = new Map<string, number>();
  for (const c of run.cells) generationCost.set(c.generator, (generationCost.get(c.generator) ?? 0) + (c.generationCostUsd ?? c.costUsd));
  return run.generators.map((g) =>
    summarizeCostPgr(
      g.id,
      generationCost.get(g.id) ?? 0,
      run.settings.map((s) => pgrOf.get(`${g.id}\t${s}`)),
    ),
  );
}

function legendEntry(s: CostPgrSummary, mark: string): string {
  const pgr = s.meanPgr === undefined ? 'no PGR' : `${formatPgr(s.meanPgr)}${s.flagged > 0 ? '!' : ''}`;
  return `${mark} ${s.generator} ${formatUsd(s.costUsd)} ${pgr} (${s.scored}/${s.settings})`;
}

/** Entries packed left to right, three blanks apart, each line at most `width`. */
function packLegend(entries: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const e of entries) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 3 + e.length <= width) lines[lines.length - 1] = `${last}   ${e}`;
    else lines.push(e.length > width ? fit(e, width) : e);
  }
  return lines;
}

const cut = (s: string, width: number) => fit(s, width).trimEnd();

/** `text` written into `row` at `at` (cut at the row's end). */
function put(row: string[], at: number, text: string): void {
  for (let i = 0; i < text.length && at + i < row.length; i++) if (at + i >= 0) row[at + i] = text[i]!;
}

/**
 * The paper's main figure as text: x = the generator's API cost (from $0 to the highest),
 * y = its mean PGR (the range always holds 0, dotted when inside), one letter per generator,
 * legend below with the numbers and how many settings each mean stands on. Generators without
 * a PGR are in the legend only. Empty when `height` or `width` has no room for a readable plot.
 */
export function renderCostPgrChart(summaries: readonly CostPgrSummary[], width: number, height: number): string[] {
  const plotted = summaries.flatMap((s, i) => (s.meanPgr === undefined ? [] : [{ s, mark: markOf(i), y: s.meanPgr }]));
  if (plotted.length === 0) return height > 0 ? [cut('Cost against PGR: no generator has a PGR yet.', width)] : [];
  const ymax = Math.max(0, ...plotted.map((p) => p.y));
  let ymin = Math.min(0, ...plotted.map((p) => p.y));
  if (ymax === ymin) ymin = ymax - 1;
  // Whole numbers on the axis: the legend has the exact means, and `0.0` would read as a score.
  const labels = [formatPgr(ymax, 0), formatPgr(ymin, 0), '0'];
  const lw = Math.max(...labels.map((l) => l.length));
  const plotW = width - lw - 3;
  const xmax = Math.max(...plotted.map((p) => p.s.costUsd));
  const legend = packLegend(
    summaries.map((s, i) => legendEntry(s, markOf(i))),
    width,
  );
  const plotH = Math.min(MAX_PLOT_ROWS, height - 3 - legend.length - 1);
  if (plotH < MIN_PLOT_ROWS || plotW < MIN_PLOT_COLS) return [];

  const grid = Array.from({ length: plotH }, () => Array.from({ length: plotW }, () => ' '));
  const rowOf = (y: number) => Math.round(((ymax - y) / (ymax - ymin)) * (plotH - 1));
  const zeroRow = rowOf(0);
  if (ymin < 0) grid[zeroRow]!.fill('·');
  let shared = false;
  for (const p of plotted) {
    const col = xmax > 0 ? Math.round((p.s.costUsd / xmax) * (plotW - 1)) : 0;
    const row = grid[rowOf(p.y)]!;
    shared ||= MARKS.includes(row[col]!) || row[col] === SHARED;
    row[col] = MARKS.includes(row[col]!) || row[col] === SHARED ? SHARED : p.mark;
  }
  const lines = [cut('Cost against PGR: mean PGR (%) of the scored settings (scored/all) by API cost; ! flagged', width)];
  grid.forEach((row, r) => {
    const label = r === 0 ? labels[0]! : r === plotH - 1 ? labels[1]! : r === zeroRow ? labels[2]! : '';
    lines.push(`${label.padStart(lw)} ${label ? '┤' : '│'}${row.join('')}`);
  });
  lines.push(`${' '.repeat(lw)} └${'─'.repeat(plotW)}`);
  const axis = Array.from({ length: plotW }, () => ' ');
  const right = xmax > 0 ? formatUsd(xmax) : '';
  const caption = 'API cost';
  put(axis, 0, '$0');
  put(axis, plotW - right.length, right);
  const mid = Math.floor((plotW - caption.length) / 2);
  if (mid > 3 && mid + caption.length < plotW - right.length - 1) put(axis, mid, caption);
  lines.push(`${' '.repeat(lw + 2)}${axis.join('')}`.trimEnd());
  lines.push(...legend);
  if (shared) lines.push(cut(`${SHARED} generators at one spot: see the legend`, width));
  return lines;
}
