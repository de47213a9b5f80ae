import { afterEach, describe, expect, it, vi } from 'vitest';

// chalk decides its colour level when first imported, and vitest's stdout is no TTY.
vi.hoisted(() => {
  process.env['FORCE_COLOR'] = '1';
});

const { allStatesRun } = await import('./testing/fixtures.js');
const { renderDashboard } = await import('./testing/render-dashboard.js');
type Harness = Awaited<ReturnType<typeof renderDashboard>>;

/** Foreground colour escapes (standard and bright), not bold/dim/inverse. */
const FG = /\u001B\[(3[0-7]|9[0-7])m/;

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

describe('colour', () => {
  it('colours states by default', async () => {
    h = await renderDashboard(allStatesRun(), { width: 140 });
    expect(h.frame()).toMatch(FG);
  });

  it('uses no colour under noColor and keeps the glyphs', async () => {
    h = await renderDashboard(allStatesRun(), { width: 140, noColor: true });
    expect(h.frame()).not.toMatch(FG);
    expect(h.frame()).toContain('✗G 300/10k');
  });
});
