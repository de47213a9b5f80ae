import { describe, expect, it } from 'vitest';
import { INITIAL_UI, interpretKey, type UiState } from './key-map.js';
import { allStatesRun } from './testing/fixtures.js';

const ctx = { snapshot: allStatesRun(), pageRows: 2 };

describe('interpretKey', () => {
  it('clamps movement to the matrix and pages by pageRows', () => {
    let s: UiState = INITIAL_UI;
    s = interpretKey(s, '', { pageDown: true }, ctx).state;
    expect([s.row, s.col]).toEqual([2, 0]);
    s = interpretKey(s, '', { pageDown: true }, ctx).state;
    expect(s.row).toBe(2);
    for (let i = 0; i < 12; i++) s = interpretKey(s, 'l', {}, ctx).state;
    expect(s.col).toBe(8);
  });

  it('Enter on a missing cell explains instead of opening an empty detail', () => {
    const snapshot = { ...ctx.snapshot, cells: ctx.snapshot.cells.filter((c) => c.id !== 1) };
    const r = interpretKey(INITIAL_UI, '', { return: true }, { ...ctx, snapshot });
    expect(r.state.view).toBe('matrix');
    expect(r.state.message?.text).toBe('no cell here');
  });

  it('x on a finished cell has nothing to cancel', () => {
    const at = { ...INITIAL_UI, col: 3 };
    const r = interpretKey(at, 'x', {}, ctx);
    expect(r.command).toBeUndefined();
    expect(r.state.confirmCancel).toBeUndefined();
    expect(r.state.message?.text).toContain('nothing to cancel');
  });

  it('R with no failed cells does not call retryAllFailed', () => {
    const snapshot = { ...ctx.snapshot, cells: ctx.snapshot.cells.filter((c) => c.state !== 'failed') };
    const r = interpretKey(INITIAL_UI, 'R', {}, { ...ctx, snapshot });
    expect(r.command).toBeUndefined();
    expect(r.state.message?.text).toBe('no failed cells to retry');
  });

  it('scrolls the budget view within maxScroll', () => {
    let s: UiState = { ...INITIAL_UI, view: 'budget' };
    for (let i = 0; i < 5; i++) s = interpretKey(s, 'j', {}, { ...ctx, maxScroll: 3 }).state;
    expect(s.scroll).toBe(3);
    s = interpretKey(s, 'k', {}, { ...ctx, maxScroll: 3 }).state;
    expect(s.scroll).toBe(2);
  });
});
