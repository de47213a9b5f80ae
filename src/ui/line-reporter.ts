import type { CellSnapshot, RunSnapshot } from '../core/snapshot.js';
import { cellPgrText, cellProgress } from '../core/views/cell-progress.js';
import { formatClock, formatUsd } from '../core/views/format.js';
import { affordableCells, affordableText } from '../core/views/affordable-cells.js';
import { capWarnings } from '../core/views/cap-warnings.js';
import { projectCosts } from '../core/views/cost-projection.js';
import { etaText, sweepEta } from '../core/views/sweep-eta.js';
import { countByState, formatSpend, formatStateCounts } from '../core/views/state-counts.js';

export interface LineReporterOptions {
  /** Minimum time between summary lines; default one minute. */
  summaryEveryMs?: number;
  now?: () => number;
}

/** What has been said of a cap: its highest threshold and whether its projection passed it. */
interface SaidWarning {
  readonly cap: number | undefined;
  readonly threshold: number;
  readonly over: boolean;
}

export interface LineReporter {
  update(snapshot: RunSnapshot): void;
  /** Prints a last summary; does not end `out`. */
  close(): void;
}

/** `12:03:04 gpt-4o math/instance generate running 120/10000 $1.23`. */
export function formatCellLine(cell: CellSnapshot, at: number): string {
  const parts = [formatClock(at), cell.generator, cell.setting, cell.stage, cell.state];
  const pgr = cellPgrText(cell);
  const prog = cellProgress(cell);
  if (pgr !== undefined) parts.push(`pgr ${pgr}`);
  else if (prog) parts.push(`${prog.done}/${prog.total}`);
  parts.push(formatUsd(cell.costUsd + cell.gpuCostUsd));
  if (cell.error && cell.state !== 'running' && cell.state !== 'done') parts.push(`error: ${cell.error}`);
  return parts.join(' ');
}

export function formatSummaryLine(run: RunSnapshot, at: number): string {
  return `${formatClock(at)} summary: ${formatStateCounts(countByState(run.cells))} · ${formatSpend(run)} · ${etaText(sweepEta(run))}`;
}

/**
 * Cap warnings that are new since the last call: a threshold (80%, 95%, reached) crossed
 * upwards, or the projection newly past a cap. Reservations come and go, so spending dipping
 * back under a threshold does not re-arm it; a changed cap (raised in the config) does. Each
 * crossing is said once, not every tick.
 */
function capWarningLines(run: RunSnapshot, said: Map<string, SaidWarning>, at: number): string[] {
  const projection = projectCosts(run);
  const now = new Map(capWarnings(run, projection).map((w) => [w.scope, w]));
  const caps = new Map<string, number | undefined>([['*', run.budgetUsd], ...run.generators.map((g): [string, number | undefined] => [g.id, g.capUsd])]);
  const lines: string[] = [];
  for (const scope of new Set([...said.keys(), ...now.keys()])) {
    const w = now.get(scope);
    const cap = caps.get(scope);
    const had = said.get(scope);
    const before = had && had.cap === cap ? had : { cap, threshold: 0, over: false };
    const threshold = Math.max(before.threshold, w?.threshold ?? 0);
    const over = before.over || w?.projectedUsd !== undefined;
    if (w && (threshold > before.threshold || over !== before.over)) lines.push(`${formatClock(at)} warning: ${w.text}`);
    said.set(scope, { cap, threshold, over });
  }
  if (lines.length > 0) {
    const money = affordableText(affordableCells(run, projection));
    if (money) lines.push(`${formatClock(at)} ${money}`);
  }
  return lines;
}

/**
 * The dashboard for pipes, logs and CI: one line per cell whose stage or state changed,
 * and a summary line at most every `summaryEveryMs`, from the same snapshots as the UI.
 * Progress alone prints nothing, so a log stays readable over a multi-day sweep.
 */
export function createLineReporter(out: NodeJS.WritableStream, opts: LineReporterOptions = {}): LineReporter {
  const now = opts.now ?? Date.now;
  const every = opts.summaryEveryMs ?? 60_000;
  const seen = new Map<number, string>();
  const capsSaid = new Map<string, SaidWarning>();
  let last: RunSnapshot | undefined;
  let lastSummaryAt = -Infinity;
  let closed = false;
  const print = (line: string) => void out.write(`${line}\n`);

  return {
    update(run) {
      if (closed) return;
      const at = now();
      const first = last === undefined;
      if (first) print(`${formatClock(at)} agora ${run.name}: ${run.cells.length} cells in ${run.runDir}${run.readOnly ? ' (read-only)' : ''}`);
      else if (last && last.paused !== run.paused) print(`${formatClock(at)} scheduling ${run.paused ? 'paused' : 'resumed'}`);
      for (const cell of run.cells) {
        const key = `${cell.stage}/${cell.state}`;
        const before = seen.get(cell.id);
        seen.set(cell.id, key);
        if (before === key) continue;
        // On attach, pending cells are the uninteresting majority; the summary counts them.
        if (before === undefined && cell.state === 'pending') continue;
        print(formatCellLine(cell, at));
      }
      for (const line of capWarningLines(run, capsSaid, at)) print(line);
      last = run;
      if (at - lastSummaryAt >= every) {
        lastSummaryAt = at;
        print(formatSummaryLine(run, at));
      }
    },
    close() {
      if (closed) return;
      closed = true;
      if (last) print(formatSummaryLine(last, now()));
    },
  };
}
