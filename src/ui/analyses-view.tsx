import { Text } from 'ink';
import { analysisTables, METRIC_SHORT } from '../core/report/analysis-tables.js';
import { wrapWords } from '../core/views/format.js';
import type { AnalysesState } from './use-analyses.js';

/**
 * The dashboard's analyses view: the same tables and numbers as `agora report` (one formatter,
 * core/report/analysis-tables.ts), as text columns, with short metric names. The model is
 * computed by the caller only while this view is open (cli/analysis-cache.ts).
 */

export interface AnalysesViewProps {
  readonly analysis: AnalysesState;
  readonly width: number;
  readonly height: number;
  readonly scroll: number;
}

function columns(head: readonly string[], align: readonly ('l' | 'r')[], rows: readonly (readonly string[])[]): string[] {
  const widths = head.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
}

/** Every line of the view, before scrolling: a title per table, its sentences wrapped, then the table or why there is none. */
export function analysisLines(analysis: AnalysesState, width: number): string[] {
  const room = Math.max(20, width - 2);
  if (analysis.kind === 'loading') return ['Analyses: computing…'];
  if (analysis.kind === 'failed') return ['Analyses: could not be read just now (asked again with the next change):', ...wrapWords(analysis.error, room)];
  const out = ['Analyses: what makes a good data generator (same numbers as agora report)'];
  for (const t of analysisTables(analysis.model, METRIC_SHORT)) {
    out.push('', t.title);
    if (t.missing !== undefined) {
      out.push(...wrapWords(`  not computed: ${t.missing}`, room));
      continue;
    }
    for (const l of t.lines) out.push(...wrapWords(l, room));
    out.push(...columns(t.head, t.align, t.rows));
  }
  return out;
}

export function analysesScroll(analysis: AnalysesState, width: number, height: number): { visible: number; max: number } {
  const visible = Math.max(1, height);
  return { visible, max: Math.max(0, analysisLines(analysis, width).length - visible) };
}

export function AnalysesView({ analysis, width, height, scroll }: AnalysesViewProps) {
  const lines = analysisLines(analysis, width);
  const { visible, max } = analysesScroll(analysis, width, height);
  const start = Math.min(scroll, max);
  return (
    <>
      {lines.slice(start, start + visible).map((l, i) => (
        <Text key={i} wrap="truncate-end" bold={start + i === 0 || (l.length > 0 && !l.startsWith(' ') && lines[start + i - 1] === '')}>
          {l || ' '}
        </Text>
      ))}
    </>
  );
}
