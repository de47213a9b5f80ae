import { afterEach, describe, expect, it } from 'vitest';
import { ALL_SETTINGS } from '../core/setting.js';
import { settingShortLabel } from '../core/views/cell-style.js';
import { SPINNER_FRAMES } from './spinner-clock.js';
import { allStatesRun, cell } from './testing/fixtures.js';
import { renderDashboard, type DashboardHarness } from './testing/render-dashboard.js';
import { KEYS } from './testing/wait-for.js';

let h: DashboardHarness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

/** The two text lines of a generator's matrix row. */
function rowOf(lines: string[], generator: string): [string, string] {
  const i = lines.findIndex((l) => l.startsWith(`${generator} `));
  if (i < 0) throw new Error(`no row for ${generator} in:\n${lines.join('\n')}`);
  return [lines[i] ?? '', lines[i + 1] ?? ''];
}

describe('matrix', () => {
  it('shows every state with its glyph, progress and cost', async () => {
    h = await renderDashboard(allStatesRun(), { width: 140, height: 30 });
    const [top, bottom] = rowOf(h.lines(), 'gpt-4o');
    for (const s of ['▸G 1.2k/10k', '▸T 120/500', '▸E 812/1.3k', '✓S 55.8', '✗G 300/10k', '⊘G 0/10k', '$G 4k/10k', '–G 10/10k']) expect(top).toContain(s);
    expect(top).toMatch(/ ·G$/);
    for (const s of ['$1.23', '$12.5', '$15.0', '$26.0', '$0.50', '$8.00']) expect(bottom).toContain(s);
    expect(bottom).toMatch(/^\$53\.23 /);
    const frame = h.frame();
    expect(frame).toContain('Instance Generation');
    expect(frame).toContain('Quality Enhancement');
    expect(frame).toContain('agora · demo-sweep');
    expect(frame).toContain('$90.23 spent + $4.00 reserved of $1,000.00 budget');
    // Generation to come at each cell's own rate (or its generator's on the method): $225.82 on
    // $90.23 spent; ≥ because the judge's cost has no plan or measurement to go by.
    expect(frame).toMatch(/projected ≥\$316\.05/);
  });

  it('marks paused and read-only runs in the header', async () => {
    h = await renderDashboard(allStatesRun({ paused: true, readOnly: true }));
    expect(h.frame()).toContain('[PAUSED]');
    expect(h.frame()).toContain('[READ-ONLY]');
  });

  it('shows the planned estimate before any spending', async () => {
    const run = allStatesRun();
    const fresh = {
      ...run,
      spentUsd: 0,
      reservedUsd: 0,
      orphanedUsd: 0,
      plannedUsd: { low: 600, expected: 850, high: 1100 },
      cells: run.cells.map((c) => cell(c.id, c.generator, c.setting)),
    };
    h = await renderDashboard(fresh, { width: 160 });
    expect(h.frame()).toContain('planned $850.00 ($600.00–$1,100.00)');
  });

  it('compact mode at 80 columns shows all nine columns and every cell', async () => {
    h = await renderDashboard(allStatesRun(), { width: 80, height: 24 });
    const lines = h.lines();
    for (const l of lines) expect([...l].length).toBeLessThan(80);
    const header = lines.find((l) => l.includes('M/ig')) ?? '';
    for (const s of ALL_SETTINGS) expect(header).toContain(settingShortLabel(s));
    // Ids that do not fit the name column take their unique short forms.
    const [mini] = rowOf(lines, 'g4o-mini');
    expect(mini.match(/✗G 0%/g)).toHaveLength(7);
    // Six-column cells: a PGR keeps the last column blank (room for a mark), so 25.3 reads 25.
    expect(mini).toContain('✓S 25 ');
    expect(mini).toContain('✓ n/a ');
    const [gpt] = rowOf(lines, 'g4o');
    // A full cell keeps a blank before the next group's rule.
    expect(gpt).toMatch(/▸E 61% │ ✓S 56/);
    for (const s of ['▸T 24%', '✓S 56 ', '✗G 3%', '⊘G 0%', '$G 40%', '–G 0%', '·G']) expect(gpt).toContain(s);
  });

  it('keeps the frame shorter than the terminal by paging 20 generators', async () => {
    const base = allStatesRun();
    const generators = Array.from({ length: 20 }, (_, i) => ({ ...base.generators[0]!, id: `gen-${String(i).padStart(2, '0')}` }));
    const cells = generators.flatMap((g, i) => ALL_SETTINGS.map((s, k) => cell(i * 9 + k + 1, g.id, s)));
    h = await renderDashboard({ ...base, generators, cells }, { width: 100, height: 24 });
    expect(h.lines().length).toBeLessThan(24);
    expect(h.frame()).toContain('gen-00');
    expect(h.frame()).not.toContain('gen-19');
    expect(h.frame()).toMatch(/generators 1-\d+ of 20/);
    for (let i = 0; i < 19; i++) await h.press(KEYS.down);
    await h.waitForText('gen-19 · math/instance');
    expect(h.frame()).toContain('gen-19 ');
    expect(h.frame()).not.toContain('gen-00 ');
    expect(h.lines().length).toBeLessThan(24);
  });

  it('animates running cells and the header from one spinner clock, and stops it when nothing runs', async () => {
    const run = allStatesRun();
    h = await renderDashboard(run, { width: 140, spinnerMs: 20 });
    const spinning = (frame: string) => SPINNER_FRAMES.filter((f) => frame.includes(`${f}G 1.2k/10k`));
    const seen = new Set<string>();
    for (let i = 0; i < 200 && seen.size < 3; i++) {
      const [top] = rowOf(h.lines(), 'gpt-4o');
      const frames = spinning(top);
      // Every running cell and the header show the same frame; other states keep their glyphs.
      expect(frames.length).toBe(1);
      expect(top).toContain(`${frames[0]}T 120/500`);
      expect(top).toContain('✓S 55.8');
      expect(h.lines()[0]?.startsWith(frames[0]!)).toBe(true);
      seen.add(frames[0]!);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    h.source.set({ ...run, cells: run.cells.map((c) => (c.state === 'running' ? { ...c, state: 'done' as const } : c)) });
    await h.waitForText('✓G 1.2k/10k');
    const still = h.frame();
    await new Promise((r) => setTimeout(r, 100));
    expect(h.frame()).toBe(still);
    expect(SPINNER_FRAMES.some((f) => still.includes(f))).toBe(false);
  });

  it('follows snapshot updates from the source', async () => {
    const run = allStatesRun();
    h = await renderDashboard(run, { width: 140 });
    const c1 = run.cells[0]!;
    h.source.set({
      ...run,
      cells: run.cells.map((c) => (c.id === c1.id ? { ...c, accepted: 2500, progress: { stage: 'generate' as const, accepted: 2500, target: 10_000 } } : c)),
    });
    await h.waitForText('G 2.5k/10k');
  });
});
