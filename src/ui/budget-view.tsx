import { Text } from 'ink';
import type { RunSnapshot } from '../core/snapshot.js';
import { BUDGET_COLUMNS, buildBudgetView, type BudgetView as BudgetTable } from '../core/views/budget-table.js';
import { formatSpend } from '../core/views/state-counts.js';
import { shortGeneratorLabels } from '../core/views/generator-labels.js';
import { firstColumnRoom, layoutTable } from '../core/views/text-table.js';
import { paint } from './color.js';

export interface BudgetViewProps {
  readonly run: RunSnapshot;
  readonly width: number;
  readonly height: number;
  readonly scroll: number;
  readonly noColor?: boolean;
}

/** Lines of the budget view below its table; the table's own rows scroll. */
export function budgetNotes(run: RunSnapshot, view: BudgetTable = buildBudgetView(run)): { text: string; warn: boolean }[] {
  const notes: { text: string; warn: boolean }[] = [{ text: `run: ${formatSpend(run)}`, warn: run.spentUsd >= run.budgetUsd }];
  if (view.orphaned) notes.push({ text: view.orphaned, warn: false });
  if (view.evaluationSplit) notes.push({ text: view.evaluationSplit, warn: false });
  if (view.judgeNote) notes.push({ text: view.judgeNote, warn: false });
  for (const w of view.warnings) notes.push({ text: w, warn: true });
  if (view.affordable) notes.push({ text: view.affordable, warn: view.warnings.length > 0 });
  if (view.overCap.length) notes.push({ text: `projected past its cap: ${view.overCap.join(', ')}`, warn: true });
  for (const e of view.exhausted) notes.push({ text: `budget-exhausted: ${e.generatorId}: ${e.settings.join(', ')}`, warn: true });
  if (view.exhausted.length) {
    notes.push({ text: 'to continue them: raise the cap in the config, then press r on each cell', warn: false });
  }
  for (const b of view.blocked) notes.push({ text: `blocked: ${b.generatorId}: ${b.reason}`, warn: true });
  notes.push({ text: '~ rate from other generators by price, or the plan · ! past its cap · $/1M tokens', warn: false });
  return notes;
}

export function budgetScrollRows(run: RunSnapshot, height: number): { visible: number; max: number } {
  const view = buildBudgetView(run);
  const notes = budgetNotes(run, view).length;
  const visible = Math.max(1, height - 3 - notes);
  return { visible, max: Math.max(0, view.rows.length - visible) };
}

/** Per generator, the judge and the baselines: spent, reserved, cap, projected, cost per 1k instances, prices, GPU. */
export function BudgetView({ run, width, height, scroll, noColor }: BudgetViewProps) {
  const view = buildBudgetView(run);
  // Names squeezed by the numbers get the matrix's unique short forms, not a cut that reads alike.
  const room = firstColumnRoom(BUDGET_COLUMNS, [...view.rows, view.total], width - 1);
  const labels = shortGeneratorLabels(
    run.generators.map((g) => g.id),
    room,
  );
  const rows = view.rows.map((r, i) => [view.rowKinds[i] === 'generator' ? (labels.get(r[0] ?? '') ?? r[0] ?? '') : (r[0] ?? ''), ...r.slice(1)]);
  const table = layoutTable(BUDGET_COLUMNS, [...rows, view.total], width - 1);
  const body = table.rows.slice(0, -1);
  const totalRow = table.rows[table.rows.length - 1] ?? '';
  const { visible, max } = budgetScrollRows(run, height);
  const start = Math.min(scroll, max);
  const notes = budgetNotes(run, view);
  return (
    <>
      <Text bold wrap="truncate-end">
        Budget{max > 0 ? `  (rows ${start + 1}-${Math.min(body.length, start + visible)} of ${body.length}, j/k scroll)` : ''}
      </Text>
      <Text bold wrap="truncate-end">
        {table.header}
      </Text>
      {body.slice(start, start + visible).map((r, i) => {
        const over = view.rowKinds[start + i] === 'generator' && view.overCap.includes(view.rows[start + i]?.[0] ?? '');
        return (
          <Text key={i} wrap="truncate-end" color={paint(noColor, over ? 'red' : undefined)}>
            {r}
          </Text>
        );
      })}
      <Text bold wrap="truncate-end">
        {totalRow}
      </Text>
      {notes.map((n, i) => (
        <Text key={`n${i}`} wrap="truncate-end" color={paint(noColor, n.warn ? 'yellow' : undefined)} dimColor={!n.warn}>
          {n.text}
        </Text>
      ))}
    </>
  );
}
