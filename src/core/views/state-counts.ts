import { CELL_STATES, type CellState } from '../cell-state.js';
import type { CellSnapshot, RunSnapshot } from '../snapshot.js';
import { formatUsd } from './format.js';

export function countByState(cells: readonly CellSnapshot[]): Record<CellState, number> {
  const counts = Object.fromEntries(CELL_STATES.map((s) => [s, 0])) as Record<CellState, number>;
  for (const c of cells) counts[c.state] += 1;
  return counts;
}

/** Non-zero counts in a fixed order, e.g. `3 running, 10 pending, 1 failed`. */
export function formatStateCounts(counts: Readonly<Record<CellState, number>>, sep = ', '): string {
  const order: readonly CellState[] = ['running', 'pending', 'done', 'failed', 'blocked', 'budget-exhausted', 'cancelled'];
  const parts = order.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length ? parts.join(sep) : 'no cells';
}

/** `$12.34 spent + $1.00 reserved of $100.00 budget`. */
export function formatSpend(run: Pick<RunSnapshot, 'spentUsd' | 'reservedUsd' | 'budgetUsd'>): string {
  const reserved = run.reservedUsd > 0 ? ` + ${formatUsd(run.reservedUsd)} reserved` : '';
  return `${formatUsd(run.spentUsd)} spent${reserved} of ${formatUsd(run.budgetUsd)} budget`;
}

/** Spent, reserved and free, as a bar of `width` characters. */
export function budgetBar(run: Pick<RunSnapshot, 'spentUsd' | 'reservedUsd' | 'budgetUsd'>, width: number): string {
  if (width <= 0) return '';
  if (run.budgetUsd <= 0) return '░'.repeat(width);
  const spent = Math.min(width, Math.round((run.spentUsd / run.budgetUsd) * width));
  const reserved = Math.min(width - spent, Math.round((run.reservedUsd / run.budgetUsd) * width));
  return '█'.repeat(spent) + '▒'.repeat(reserved) + '░'.repeat(width - spent - reserved);
}
