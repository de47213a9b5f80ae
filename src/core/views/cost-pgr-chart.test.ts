import { describe, expect, it } from 'vitest';
import { summarizeCostPgr } from '../report/cost-pgr.js';
import { ALL_SETTINGS } from '../setting.js';
import { costPgrSummaries, renderCostPgrChart } from './cost-pgr-chart.js';
import { cell, gen, scored } from './test-fixtures.js';

const three = [
  summarizeCostPgr('gpt-4o', 20, [{ value: 50 }, { value: 70 }, undefined]),
  summarizeCostPgr('llama', 5, [{ value: -20 }, undefined, undefined]),
  summarizeCostPgr('qwen', 1, [undefined, { reason: 'no base-model score on MBPP' }, undefined]),
];

describe('cost against PGR as text', () => {
  it('means over the scored settings only, and says how many there are', () => {
    expect(three.map((s) => [s.meanPgr, s.scored, s.settings])).toEqual([
      [60, 2, 3],
      [-20, 1, 3],
      [undefined, 0, 3],
    ]);
  });

  it('puts each generator at the position its cost and mean PGR give', () => {
    const lines = renderCostPgrChart(three, 60, 14);
    // Legend: "A gpt-4o $20.00 60.0 (2/3)" (26) and "B llama $5.00 -20.0 (1/3)" (25) share a
    // line at 60 columns; "C ..." (25) starts the second. Plot rows: 14 - title, axis, x labels,
    // 2 legend lines and 1 kept for a shared-spot note = 8. Labels "60", "-20", "0": 3 wide,
    // so a plot row is 3 + " ┤" = 5 characters of prefix, then 60 - 3 - 3 = 54 columns.
    expect(lines).toHaveLength(13);
    const rows = lines.slice(1, 9);
    // y: 60 on row 0, -20 on row 7, 0 on round(60 / 80 * 7) = round(5.25) = 5.
    // x: $0..$20 over columns 0..53: $20 at 53, $5 at round(5 / 20 * 53) = round(13.25) = 13.
    expect(rows[0]!.slice(0, 5)).toBe(' 60 ┤');
    expect(rows[0]!.indexOf('A')).toBe(5 + 53);
    expect(rows[7]!.slice(0, 5)).toBe('-20 ┤');
    expect(rows[7]!.indexOf('B')).toBe(5 + 13);
    expect(rows[5]).toBe(`  0 ┤${'·'.repeat(54)}`);
    for (const r of [1, 2, 3, 4, 6]) expect(rows[r]).toBe(`    │${' '.repeat(54)}`);
    expect(lines[9]).toBe(`    └${'─'.repeat(54)}`);
    // "$0" under column 0, "API cost" at (54 - 8) / 2 = 23, the top cost ending at column 53.
    expect(lines[10]).toBe(`     $0${' '.repeat(21)}API cost${' '.repeat(17)}$20.00`);
    expect(lines[11]).toBe('A gpt-4o $20.00 60.0 (2/3)   B llama $5.00 -20.0 (1/3)');
    // A generator without a PGR is in the legend, not on the plot at 0.
    expect(lines[12]).toBe('C qwen $1.00 no PGR (0/3)');
    expect(lines.join('\n')).not.toContain('C ┤');
    expect(rows.some((r) => r.includes('C'))).toBe(false);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
  });

  it('marks generators that land on one spot, and says so', () => {
    const same = [summarizeCostPgr('a', 10, [{ value: 30 }]), summarizeCostPgr('b', 10, [{ value: 30.2, flag: 'GSM8K: PGR above 150' }])];
    const lines = renderCostPgrChart(same, 40, 12);
    // Both at the top right: the range is 0..30.2 and the cost $10 is the highest.
    expect(lines[1]!.trimEnd().endsWith('&')).toBe(true);
    expect(lines.join('\n')).not.toMatch(/[│┤][^\n]*[AB]/);
    expect(lines[lines.length - 1]).toBe('& generators at one spot: see the legend');
    expect(lines.some((l) => l.includes('B b $10.00 30.2! (1/1)'))).toBe(true);
  });

  it('draws nothing it cannot fit, and says when no generator has a PGR yet', () => {
    expect(renderCostPgrChart(three, 60, 8)).toEqual([]);
    expect(renderCostPgrChart(three, 14, 20)).toEqual([]);
    expect(renderCostPgrChart([three[2]!], 60, 20)).toEqual(['Cost against PGR: no generator has a PGR yet.']);
  });

  it("reads each generator's generation cost (not its judging, not its ledger) and its cells' PGRs from the snapshot", () => {
    const [mi, ci] = ALL_SETTINGS;
    const run = {
      generators: [gen('g1', [1, 2], { spentUsd: 9 }), gen('g2', [1, 2], { spentUsd: 9 })],
      settings: [mi!, ci!],
      cells: [
        cell(1, 'g1', mi!, { ...scored(40), costUsd: 3, generationCostUsd: 2.5, judgeCostUsd: 0.5 }),
        cell(2, 'g1', ci!, { ...scored(10), costUsd: 1 }),
        cell(3, 'g2', mi!, { ...scored('no baseline'), costUsd: 0.25, generationCostUsd: 0.25, judgeCostUsd: 0 }),
        cell(4, 'g2', ci!, { costUsd: 0 }),
      ],
    };
    const s = costPgrSummaries(run);
    expect(s).toEqual([
      { generator: 'g1', costUsd: 3.5, meanPgr: 25, scored: 2, settings: 2, flagged: 0 },
      { generator: 'g2', costUsd: 0.25, scored: 0, settings: 2, flagged: 0 },
    ]);
  });
});
