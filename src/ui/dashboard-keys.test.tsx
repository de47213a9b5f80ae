import { afterEach, describe, expect, it } from 'vitest';
import { allStatesRun } from './testing/fixtures.js';
import { renderDashboard, type DashboardHarness } from './testing/render-dashboard.js';
import { KEYS } from './testing/wait-for.js';

let h: DashboardHarness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

const has = (text: string) => (frame: string) => frame.includes(text);

/** Moves from the top-left cell to gpt-4o's `steps` columns to the right. */
async function selectColumn(harness: DashboardHarness, steps: number, label: string) {
  for (let i = 0; i < steps; i++) await harness.press('l');
  await harness.waitForText(`» gpt-4o · ${label}`);
}

describe('navigation', () => {
  it('moves the selection with arrows and hjkl, staying inside the matrix', async () => {
    h = await renderDashboard(allStatesRun());
    await h.waitForText('» gpt-4o · math/instance');
    await h.press('k');
    await h.press(KEYS.left);
    await h.press('l', has('» gpt-4o · code/instance'));
    await h.press(KEYS.down, has('» gpt-4o-mini · code/instance'));
    await h.press('j', has('» claude-3.5-sonnet · code/instance'));
    await h.press('j');
    await h.press(KEYS.right, has('» claude-3.5-sonnet · inst/instance'));
    await h.press('h', has('» claude-3.5-sonnet · code/instance'));
    await h.press(KEYS.up, has('» gpt-4o-mini · code/instance'));
  });

  it('Enter opens the detail with rejection reasons and the loss chart; Esc and Enter go back', async () => {
    h = await renderDashboard(allStatesRun());
    await selectColumn(h, 1, 'code/instance');
    await h.press(KEYS.enter, has('Loss (10 points'));
    const frame = h.frame();
    expect(frame).toContain('gpt-4o · code/instance  (Code · Instance Generation)  cell #2');
    expect(frame).toContain('rejected by reason: missing [END] 20 · duplicate 10 · unparseable answer 5');
    expect(frame).toContain('tokens 1.2M in / 3.4M out · 1,235 calls');
    expect(frame).toContain('120/500 steps (24%)');
    expect(frame).toMatch(/2\.400 │█/);
    expect(frame).toMatch(/0\.910 │█+[▁-█]+/);
    expect(frame).toContain('429 rate limited');
    expect(frame).toContain('step 120 loss 0.91');
    expect(h.actions.calls).toContain('loadDetail:2');
    await h.press(KEYS.escape, has('» gpt-4o · code/instance'));
    await h.press(KEYS.enter, has('Timeline'));
    await h.press(KEYS.enter, (f) => !f.includes('Timeline'));
    expect(h.frame()).toContain('» gpt-4o · code/instance');
  });

  it('b, t and ? open their views and the same key closes them', async () => {
    h = await renderDashboard(allStatesRun());
    await h.press('b', has('$/1k inst'));
    await h.press('b', has('» gpt-4o'));
    await h.press('t', has('Results: PGR'));
    await h.press(KEYS.escape, has('» gpt-4o'));
    await h.press('?', has('Keys'));
    await h.press('?', has('» gpt-4o'));
  });
});

describe('actions', () => {
  it('r retries the selected failed cell', async () => {
    h = await renderDashboard(allStatesRun());
    await selectColumn(h, 4, 'code/response');
    await h.press('r', has('retry requested: gpt-4o code/response'));
    expect(h.actions.calls).toEqual(['retry:5']);
  });

  it('r on a running cell explains instead of retrying', async () => {
    h = await renderDashboard(allStatesRun());
    await h.press('r', has('gpt-4o math/instance is running'));
    expect(h.actions.calls).toEqual([]);
  });

  it('R retries all failed and cancelled cells', async () => {
    const run = allStatesRun();
    const n = run.cells.filter((c) => c.state === 'failed' || c.state === 'cancelled').length;
    h = await renderDashboard(run);
    await h.press('R', has(`retrying ${n} failed or cancelled cells`));
    expect(h.actions.calls).toEqual(['retryAllFailed']);
  });

  it('x asks first; y cancels the selected running job', async () => {
    h = await renderDashboard(allStatesRun());
    await selectColumn(h, 2, 'inst/instance');
    await h.press('x', has('cancel gpt-4o inst/instance (evaluate running)? y/n'));
    expect(h.actions.calls).toEqual([]);
    await h.press('y', has('cancelling gpt-4o inst/instance'));
    expect(h.actions.calls).toEqual(['cancel:3']);
  });

  it('x then n does not cancel', async () => {
    h = await renderDashboard(allStatesRun());
    await h.press('x', has('? y/n'));
    await h.press('n', has('not cancelled'));
    await h.press('q');
    expect(h.actions.calls).toEqual(['quit']);
  });

  it('s toggles pause; q and Ctrl-C quit', async () => {
    h = await renderDashboard(allStatesRun());
    await h.press('s', has('pausing'));
    await h.press('q');
    await h.press(KEYS.ctrlC);
    expect(h.actions.calls).toEqual(['togglePause', 'quit', 'quit']);
  });

  it('read-only blocks r, R, x and s with a message', async () => {
    h = await renderDashboard(allStatesRun({ readOnly: true }));
    await selectColumn(h, 4, 'code/response');
    for (const key of ['r', 'R', 'x', 's']) {
      await h.press(key, has('read-only: another agora process conducts this run'));
      await h.press('l');
      await h.press('h', (f) => !f.includes('read-only: another'));
    }
    expect(h.actions.calls).toEqual([]);
    await h.press('q');
    expect(h.actions.calls).toEqual(['quit']);
  });

  it('acts on every key of a chunk that holds several (typed during start-up, or fast)', async () => {
    h = await renderDashboard(allStatesRun());
    // Ink hands a run of plain characters to useInput as one string: `ll` then `b` then `q`.
    await h.press('llbq', has('$/1k inst'));
    expect(h.actions.calls).toEqual(['quit']);
    // `b` closes the budget view, Enter (inside the same chunk) opens the selected cell.
    await h.press('b\r', has('Timeline'));
    expect(h.frame()).toContain('gpt-4o · inst/instance');
    expect(h.actions.calls).toContain('loadDetail:3');
  });

  it('shows an action that throws as a message instead of crashing', async () => {
    h = await renderDashboard(allStatesRun());
    h.actions.togglePause = () => {
      throw new Error('database is locked');
    };
    await h.press('s', has('toggle-pause failed: database is locked'));
  });
});
