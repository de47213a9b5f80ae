import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { mlLinearAlgebra } from '../adapters/analysis/ml-linear-algebra.js';
import { buildAnalysis, type AnalysisModel } from '../core/analysis/run-analysis.js';
import { AnalysesView } from './analyses-view.js';
import type { AnalysesState } from './use-analyses.js';
import { allStatesRun } from './testing/fixtures.js';
import { renderDashboard, type DashboardHarness } from './testing/render-dashboard.js';

// Three cells, judge 1, 2, 3 against PGR 2, 4, 7 (slope 2.5, R² = 112.5 / 114 = 0.987, by hand);
// problem solving 10, 20, 30 gives Pearson sqrt(112.5 / 114) = 0.993; a fourth cell without reward scores.
function model(): AnalysisModel {
  const cells = [1, 2, 3, 4].map((i) => ({ cellId: i, generator: `gen-${i}`, setting: 'math/instance', pgr: { value: [2, 4, 7, 9][i - 1]! } }));
  const summaries = cells.map((c, i) => ({
    cellId: c.cellId,
    generator: c.generator,
    setting: c.setting,
    values: i < 3 ? { 'quality.judge': i + 1, 'quality.reward': 0.5 } : { 'quality.judge': 5 },
    counts: { 'quality.judge': 8 },
  }));
  return buildAnalysis(
    {
      cells,
      summaries,
      problemSolving: new Map([
        ['gen-1', 10],
        ['gen-2', 20],
        ['gen-3', 30],
      ]),
    },
    mlLinearAlgebra,
  );
}

const ready = (): AnalysesState => ({ kind: 'ready', model: model() });

const unmounts: Array<() => void> = [];
let h: DashboardHarness | undefined;
afterEach(() => {
  for (const u of unmounts.splice(0)) u();
  h?.unmount();
  h = undefined;
});

function frame(analysis: AnalysesState, scroll = 0, height = 60): string[] {
  const inst = render(<AnalysesView analysis={analysis} width={100} height={height} scroll={scroll} />);
  unmounts.push(inst.unmount);
  return (inst.lastFrame() ?? '').split('\n');
}

describe('the analyses view', () => {
  it("shows the report's numbers: the metric table, what is left out, the regressions and the correlation", () => {
    const lines = frame(ready());
    expect(lines[0]).toContain('Analyses: what makes a good data generator');
    const row = (start: string) => lines.find((l) => l.startsWith(start)) ?? '';
    expect(row('gen-3').split(/\s+/)).toEqual(['gen-3', 'math/instance', '3.00', '0.50', '7.0', 'yes']);
    expect(row('gen-4')).toContain('no: no quality.reward');
    expect(lines.join(' ')).toContain('3 of 4 cells enter the PCA and the regressions (every metric below and a PGR); the others are listed with the reason.');
    // Reward is 0.5 in every cell: no information, so its own regression says why instead of a slope.
    expect(row('Qual J').split(/\s+/).slice(0, 2)).toEqual(['Qual', 'J']);
    expect(row('Qual J')).toMatch(/2\.500 .* 0\.987 /);
    expect(row('Reward')).toMatch(/^Reward +n\/a +quality\.reward is the same in every cell/);
    expect(row('Pearson r').split(/\s+/).slice(2, 3)).toEqual(['0.993']);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });

  it('scrolls, and says so while computing or when the store could not be read', () => {
    const all = frame(ready());
    const scrolled = frame(ready(), 5, 10);
    expect(scrolled[0]).toBe(all[5]);
    expect(frame({ kind: 'loading' })).toEqual(['Analyses: computing…']);
    expect(frame({ kind: 'failed', error: 'database is locked' })).toEqual([
      'Analyses: could not be read just now (asked again with the next change):',
      'database is locked',
    ]);
  });
});

describe('the dashboard key a', () => {
  it('opens the analyses view, asking for them only then, and closes it again', async () => {
    h = await renderDashboard(allStatesRun(), { width: 120, height: 40 }, undefined, model);
    expect(h.frame()).toContain('a analyses');
    // Snapshots keep coming while the matrix shows: the analyses are never computed for it.
    h.source.set({ ...allStatesRun(), takenAt: allStatesRun().takenAt + 1000 });
    await h.waitForText('a analyses');
    expect(h.actions.calls).not.toContain('loadAnalyses');
    await h.press('a', (f) => f.includes('Analyses: what makes'));
    expect(h.actions.calls).toContain('loadAnalyses');
    expect(h.frame()).toContain('Esc/a back');
    await h.press('a', (f) => !f.includes('Analyses: what makes'));
    await h.press('?', (f) => f.includes('analyses (intrinsic metrics, PCA, regressions)'));
  });

  it('says when the analyses could not be read, and keeps the keys working', async () => {
    h = await renderDashboard(allStatesRun(), { width: 120, height: 40 });
    await h.press('a', (f) => f.includes('could not be read just now'));
    expect(h.frame()).toContain('this test gives no analyses');
    await h.press('a', (f) => !f.includes('could not be read'));
  });
});
