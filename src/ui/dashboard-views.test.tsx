import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_SETTINGS } from '../core/setting.js';
import { Dashboard } from './dashboard.js';
import { FakeSource, allStatesRun, cell, recordActions, scored } from './testing/fixtures.js';
import { renderDashboard, type DashboardHarness } from './testing/render-dashboard.js';
import { waitFor } from './testing/wait-for.js';

let h: DashboardHarness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

const has = (text: string) => (frame: string) => frame.includes(text);
const cols = (line: string) => line.trim().split(/\s{2,}/);

describe('budget view', () => {
  it('shows per generator spent, reserved, cap, projection, cost per 1k and prices', async () => {
    h = await renderDashboard(allStatesRun(), { width: 120 });
    await h.press('b', has('$/1k inst'));
    const lines = h.lines();
    const row = (name: string) => cols(lines.find((l) => l.startsWith(`${name} `)) ?? '');
    // gpt-4o: $53.23 over 35,510 accepted is $1.499/1k. To come, each cell at its own rate or its
    // generator's on the same method: 8,800 x 1.23/1200 + 9,700 x 0.5/300 + 10,000 x 20.5/10,300
    // + 6,000 x 0.002 + 9,990 x 0.002 + 10,000 x 0.002 = $97.07, so $150.30.
    expect(row('gpt-4o')).toEqual(['gpt-4o', '$53.23', '$4.00', '$400.00', '$150.30', '$1.50', '2.50/10.00', '$10.00']);
    // gpt-4o-mini has measured instance generation only: its response and quality cells borrow the
    // others' rates on those methods by price (~): 0.6 + 0.6 + 3 x 0.7166 + 3 x 1.2 = $6.95.
    expect(row('gpt-4o-mini')).toEqual(['gpt-4o-mini', '$0.60', '$0.00', '—', '~$6.95', '$0.03', '0.15/0.60', '—']);
    expect(row('total')).toEqual(['total', '$90.23', '$4.00', '$1,000.00', '≥$316.05', '$0.95', '$10.00']);
    expect(h.frame()).toContain('budget-exhausted: gpt-4o: math/quality');
    expect(h.frame()).toContain('raise the cap in the config, then press r');
  });

  it('flags a generator projected past its cap', async () => {
    const run = allStatesRun();
    const generators = run.generators.map((g) => (g.id === 'gpt-4o' ? { ...g, capUsd: 100 } : g));
    h = await renderDashboard({ ...run, generators }, { width: 120 });
    await h.press('b', has('$/1k inst'));
    expect(h.frame()).toContain('$150.30!');
    expect(h.frame()).toContain('projected past its cap: gpt-4o');
  });
});

describe('budget view: evaluation has its rows (issue 12)', () => {
  /** The demo run with its judge (claude, a capped generator) and the split of each cell's cost. */
  function judged() {
    const run = allStatesRun();
    // gpt-4o's inst/instance cell (id 3) is being evaluated: $3 of its $11 is judging; the baselines cost $0.50.
    const cells = run.cells.map((c) => ({ ...c, generationCostUsd: c.costUsd - (c.id === 3 ? 3 : 0), judgeCostUsd: c.id === 3 ? 3 : 0 }));
    const evaluation = {
      judge: { id: 'claude-3.5-sonnet', model: 'claude-3.5-sonnet', price: { input: 3, output: 15 }, isGenerator: true },
      baselinesUsd: 0.5,
      reserved: { generationByGenerator: { 'gpt-4o': 3 }, judgeCellsUsd: 1, baselinesUsd: 0 },
    };
    // Spent: 50.23 + 3 (gpt-4o), 0.60 (mini), 18 (claude), 0.50 baselines; the fixture's $90.23 leaves $17.90 no call explains.
    return { ...run, cells, evaluation };
  }

  it('shows the judge, the baselines and what no row explains, adding up to the total, within 80 columns', async () => {
    h = await renderDashboard(judged(), { width: 80, height: 40 });
    await h.press('b', has('$/1k inst'));
    const lines = h.lines();
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(79);
    // At 80 columns the table is tight (one space apart); every name here is one word.
    const row = (name: string) => (lines.find((l) => l.startsWith(name)) ?? '').trim().split(/\s+/);
    expect(row('gpt-4o ').slice(0, 3)).toEqual(['gpt-4o', '$50.23', '$3.00']);
    expect(row('judge').slice(0, 4)).toEqual(['judge', '$3.00', '$1.00', '$300.00*']);
    expect(row('baselines').slice(0, 3)).toEqual(['baselines', '$0.50', '$0.00']);
    expect(row('other').slice(0, 3)).toEqual(['other', '$17.90', '$0.00']);
    expect(row('total').slice(0, 3)).toEqual(['total', '$90.23', '$4.00']);
    expect(h.frame()).toContain('judging each generator’s students: gpt-4o $3.00');
    // Notes are cut at the terminal's edge, not wrapped (they count one line each for scrolling).
    expect(h.frame()).toContain('judge: claude-3.5-sonnet, model claude-3.5-sonnet · * its cap holds');
    expect(h.frame()).toMatch(/the remaining \$905\.77 finishes \d+ of \d+ unfinished cells/);
  });
});

describe('budget view: money that is not known', () => {
  it('says how much of spent was charged at worst case for cut-off requests, and by whom', async () => {
    const run = allStatesRun();
    const generators = run.generators.map((g) =>
      g.id === 'gpt-4o' ? { ...g, orphanedUsd: 1.25 } : g.id === 'claude-3.5-sonnet' ? { ...g, orphanedUsd: 0.5 } : g,
    );
    h = await renderDashboard({ ...run, generators, orphanedUsd: 1.75 }, { width: 120 });
    await h.press('b', has('$/1k inst'));
    expect(h.frame()).toContain('of which $1.75 charged at worst case (requests cut off by a crash or cancel): gpt-4o $1.25, claude-3.5-sonnet $0.50');
    // The run line still counts it: spent is what the caps see.
    expect(h.frame()).toContain('run: $90.23 spent');
  });

  it('has no such line when every charge was measured', async () => {
    h = await renderDashboard(allStatesRun(), { width: 120 });
    await h.press('b', has('$/1k inst'));
    expect(h.frame()).not.toContain('worst case');
  });
});

describe('results view', () => {
  it('lays out Table 2 with averages and marks the best per column', async () => {
    const run = allStatesRun();
    const [mi, ci, ii] = ALL_SETTINGS;
    const cells = run.cells.map((c) => {
      if (c.generator !== 'gpt-4o-mini') return c;
      if (c.setting === mi) return { ...c, ...scored(40) };
      if (c.setting === ci) return { ...c, ...scored(50) };
      if (c.setting === ii) return { ...c, ...scored(66.1) };
      return c;
    });
    h = await renderDashboard({ ...run, cells }, { width: 140 });
    await h.press('t', has('Results: PGR'));
    const lines = h.lines();
    const mini = lines.find((l) => l.startsWith('gpt-4o-mini ')) ?? '';
    const claude = lines.find((l) => l.startsWith('claude-3.5-sonnet ')) ?? '';
    const gpt = lines.find((l) => l.startsWith('gpt-4o ')) ?? '';
    // Instance generation: 40, 50, 66.1 average 52.0; 40 is the best math score, 30.1 is not.
    expect(mini).toMatch(/│\s+40\.0\*\s+50\.0\*\s+66\.1\*\s+52\.0\*\s+│/);
    expect(claude).toMatch(/│\s+30\.1\s+·\s+·\s+·\s+│\s+60\.2\*/);
    expect(gpt).toMatch(/│\s+55\.8\s+·/);
    expect(lines.some((l) => /Math\s+Code\s+Inst\s+Avg\s+│\s+Math/.test(l))).toBe(true);
    expect(h.frame()).not.toMatch(/\b0\.0\b/);
  });

  it('says the run has no scores instead of showing zeros', async () => {
    const run = allStatesRun();
    const cells = run.cells.map((c) => cell(c.id, c.generator, c.setting));
    h = await renderDashboard({ ...run, cells });
    await h.press('t', has('Results'));
    expect(h.frame()).toContain('No cell has been scored yet');
    expect(h.frame()).not.toMatch(/\b0\.0\b/);
  });

  it('gives the reason for a cell scored without a PGR', async () => {
    h = await renderDashboard(allStatesRun(), { width: 140 });
    await h.press('t', has('Results'));
    expect(h.frame()).toContain('n/a gpt-4o-mini code/instance: no baseline for mbpp');
  });
});

describe('detail view', () => {
  it('stays shorter than the terminal at 80x24 and says when there is no detail', async () => {
    h = await renderDashboard(allStatesRun(), { width: 80, height: 24, hint: 'first run: press ? for help' });
    expect(h.frame()).toContain('first run: press ? for help');
    expect(h.lines().length).toBeLessThan(24);
    await h.press('l');
    await h.press('\r', has('Loss ('));
    expect(h.lines().length).toBeLessThan(24);
    for (const l of h.lines()) expect([...l].length).toBeLessThan(80);
    h.unmount();
    h = await renderDashboard(allStatesRun(), {}, () => undefined);
    await h.press('\r', has('No detail for this cell'));
  });
});

class FakeTty extends EventEmitter {
  columns = 80;
  rows = 24;
  last = '';
  isTTY = true;
  write = (s: string) => {
    this.last = s;
    return true;
  };
}

class PipeStdin extends EventEmitter {
  isTTY = false;
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => null;
}

describe('terminal size', () => {
  it('follows stdout resize events when no width is given, and runs without a TTY on stdin', async () => {
    const stdout = new FakeTty();
    const source = new FakeSource(allStatesRun());
    const inst = render(<Dashboard source={source} actions={recordActions()} />, {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: new PipeStdin() as unknown as NodeJS.ReadStream,
      debug: true,
      patchConsole: false,
      exitOnCtrlC: false,
    });
    try {
      await waitFor(() => stdout.last.includes('M/ig'), 'the compact matrix at 80 columns');
      stdout.columns = 150;
      stdout.rows = 40;
      stdout.emit('resize');
      await waitFor(() => stdout.last.includes('Instance Generation'), 'the wide matrix after resize');
      expect(stdout.last).not.toContain('M/ig');
    } finally {
      inst.unmount();
    }
  });
});

describe('unusual runs', () => {
  it('renders a run without cells, and a sweep of one setting', async () => {
    const run = allStatesRun();
    h = await renderDashboard({ ...run, generators: [], cells: [] });
    expect(h.frame()).toContain('no cells');
    await h.press('\r', has('no cell here'));
    await h.press('t', has('No cell has been scored yet'));
    h.unmount();
    const one = { ...run, settings: ['math/instance' as const], cells: run.cells.filter((c) => c.setting === 'math/instance') };
    h = await renderDashboard(one, { width: 80 });
    expect(h.frame()).toContain('math/instance');
    expect(h.frame()).toContain('▸G 1.2k/10k');
  });
});
