import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunSnapshot } from '../core/snapshot.js';
import { allStatesRun } from '../core/views/test-fixtures.js';
import { ResultsView } from './results-view.js';

const unmounts: Array<() => void> = [];
afterEach(() => {
  for (const u of unmounts.splice(0)) u();
});

function frameOf(run: RunSnapshot, width: number, height: number): string[] {
  const inst = render(<ResultsView run={run} width={width} height={height} scroll={0} />);
  unmounts.push(inst.unmount);
  return (inst.lastFrame() ?? '').split('\n');
}

/**
 * Generation cost: gpt-4o $41.23 (one scored setting: 55.8); gpt-4o-mini $0.60 (25.3); claude
 * $18.00 (30.1 and 60.2: 45.15). Each generator's first cell carries it, plus $1 of judging
 * that the chart must leave out, as it must the generators' ledgers (set to $999).
 */
function spendingRun(): RunSnapshot {
  const run = allStatesRun();
  const spent: Record<string, number> = { 'gpt-4o': 41.23, 'gpt-4o-mini': 0.6, 'claude-3.5-sonnet': 18 };
  const seen = new Set<string>();
  const cells = run.cells.map((c) => {
    const first = !seen.has(c.generator);
    seen.add(c.generator);
    const g = first ? (spent[c.generator] ?? 0) : 0;
    return { ...c, costUsd: g + (first ? 1 : 0), generationCostUsd: g, judgeCostUsd: first ? 1 : 0 };
  });
  return { ...run, cells, generators: run.generators.map((g) => ({ ...g, spentUsd: 999 })) };
}

describe('cost against PGR in the results view', () => {
  it('draws the chart under the table, each generator at its spending and mean PGR', () => {
    const lines = frameOf(spendingRun(), 100, 34);
    // Table: 5 lines of chrome, 3 rows, 1 note; one line kept free: 34 - 1 - 9 = 24 left, a
    // blank, then 23 for the chart: title, 12 plot rows (the most), axis, x labels, 1 legend line.
    expect(lines.length).toBeLessThanOrEqual(33);
    const top = lines.findIndex((l) => l.startsWith('Cost against PGR'));
    expect(top).toBe(10);
    const plot = lines.slice(top + 1, top + 13);
    // y from 0 to 55.8 over rows 0..11; x from $0 to $41.23 over 99 - 2 - 3 = 94 columns (0..93),
    // after a 4-character prefix ("56 ┤").
    expect(plot[0]!.slice(0, 4)).toBe('56 ┤');
    expect(plot[0]!.indexOf('A')).toBe(4 + 93);
    // claude: row round((55.8 - 45.15) / 55.8 * 11) = 2, column round(18 / 41.23 * 93) = 41.
    expect(plot[2]!.indexOf('C')).toBe(4 + 41);
    // gpt-4o-mini: row round(30.5 / 55.8 * 11) = 6, column round(0.6 / 41.23 * 93) = 1.
    expect(plot[6]!.indexOf('B')).toBe(4 + 1);
    expect(plot[11]!.slice(0, 4)).toBe(' 0 ┤');
    expect(lines[top + 15]).toContain('A gpt-4o $41.23 55.8 (1/9)   B gpt-4o-mini $0.60 25.3 (1/9)   C claude-3.5-sonnet $18.00 45.2 (2/9)');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });

  it('keeps the table first and says when the window is too short for the chart', () => {
    const short = frameOf(spendingRun(), 100, 16);
    expect(short.length).toBeLessThanOrEqual(15);
    expect(short.some((l) => l.startsWith('claude-3.5-sonnet │'))).toBe(true);
    expect(short).toContain('Cost against PGR: a taller window shows the chart here.');
    const tall = frameOf(spendingRun(), 80, 20);
    expect(tall.length).toBeLessThanOrEqual(19);
    expect(tall.some((l) => l.includes('┤') && l.includes('A'))).toBe(true);
  });
});
