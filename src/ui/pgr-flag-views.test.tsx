import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { formatCellLines } from '../core/views/cell-progress.js';
import { buildDetailLines } from '../core/views/detail-lines.js';
import type { CellScores, CellSnapshot, RunSnapshot } from '../core/snapshot.js';
import { ALL_SETTINGS } from '../core/setting.js';
import { allStatesRun, cell, detailFor, scored } from '../core/views/test-fixtures.js';
import { ResultsView } from './results-view.js';

// Issue 9: a PGR that cannot be read as recovery carries a `!` in the matrix and the results
// view, with its reason in the detail view and the results view's notes; the results view
// says which S_0 and S_ref the PGRs were computed against.

const FLAG = 'GSM8K: PGR 438.0 is above 150 (the base-reference gap is only 2.0 points)';
const evaluatedBaselines: CellScores['baselines'] = {
  base: { kind: 'evaluated', model: 'checkpoint meta-llama/Llama-3.1-8B' },
  reference: { kind: 'evaluated', model: 'checkpoint meta-llama/Llama-3.1-8B-Instruct' },
};

function flagged(value: number, flag: string | undefined, baselines = evaluatedBaselines): Partial<CellSnapshot> {
  const pgr = flag === undefined ? { value } : { value, flag };
  return { ...scored(value), scores: { benchmarks: { gsm8k: 70 }, pgrByBenchmark: { gsm8k: pgr }, pgr, ...(baselines && { baselines }) } };
}

/** gpt-4o-mini: math/instance flagged at 438, code and inst ordinary, so its IG average is flagged too. */
function runWithFlag(baselines = evaluatedBaselines): RunSnapshot {
  const run = allStatesRun();
  const [mi, ci, ii] = ALL_SETTINGS;
  const cells = run.cells.map((c) => {
    if (c.generator !== 'gpt-4o-mini') return { ...c, ...(c.scores && { scores: { ...c.scores, ...(baselines && { baselines }) } }) };
    if (c.setting === mi) return { ...c, ...flagged(438, FLAG, baselines) };
    if (c.setting === ci) return { ...c, ...flagged(50, undefined, baselines) };
    if (c.setting === ii) return { ...c, ...flagged(12, undefined, baselines) };
    return c;
  });
  return { ...run, cells };
}

const unmounts: Array<() => void> = [];
afterEach(() => {
  for (const u of unmounts.splice(0)) u();
});

function frameOf(run: RunSnapshot, width: number): string {
  const inst = render(<ResultsView run={run} width={width} height={30} scroll={0} />);
  unmounts.push(inst.unmount);
  return inst.lastFrame() ?? '';
}

describe('flagged PGRs in the views', () => {
  it('marks a flagged PGR in its matrix cell, leaving ordinary ones alone', () => {
    const c = cell(1, 'g', 'math/instance', flagged(438, FLAG));
    expect(formatCellLines(c, 8).top).toBe('✓ 438.0!');
    expect(formatCellLines(c, 6).top).toBe('✓ 438!');
    expect(formatCellLines(cell(2, 'g', 'math/instance', flagged(55.8, undefined)), 8).top).toBe('✓S 55.8 ');
  });

  it("gives the flag's reason in the cell's detail view", () => {
    const c = cell(1, 'g', 'math/instance', flagged(438, FLAG));
    const text = buildDetailLines(detailFor(c), { width: 120, height: 40, now: c.updatedAt })
      .map((l) => l.text)
      .join('\n');
    expect(text).toContain(`! ${FLAG}`);
  });

  it('marks the flagged PGR and the average over it in the results view, with the reason as a note', () => {
    const frame = frameOf(runWithFlag(), 100);
    const mini = frame.split('\n').find((l) => l.startsWith('gpt-4o-mini ')) ?? '';
    // At 100 columns the flagged values lose their decimal to keep the mark.
    expect(mini).toMatch(/│\s+438!\*?\s+50\.0\*?\s+12\.0\*?\s+167!\*?\s+│/);
    // The note is cut at the screen's edge; the detail view has all of it.
    expect(frame).toContain(`! gpt-4o-mini math/instance: ${FLAG.slice(0, 50)}`);
    expect(frame).toContain('! a PGR that cannot be read');
  });

  it('says which S_0 and S_ref the PGRs were computed against', () => {
    expect(frameOf(runWithFlag(), 100)).toContain('S_ref: evaluated here (checkpoint meta-llama/Llama-3.1-8B-Instruct) · S_0: evaluated here');
    const paper = runWithFlag({ base: { kind: 'config' }, reference: { kind: 'paper' } });
    expect(frameOf(paper, 100)).toContain("S_ref: paper's numbers · S_0: numbers from the config");
  });
});
