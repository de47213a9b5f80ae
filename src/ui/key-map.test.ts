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

  it('R with no failed or cancelled cells does not call retryAllFailed', () => {
    const snapshot = { ...ctx.snapshot, cells: ctx.snapshot.cells.filter((c) => c.state !== 'failed' && c.state !== 'cancelled') };
    const r = interpretKey(INITIAL_UI, 'R', {}, { ...ctx, snapshot });
    expect(r.command).toBeUndefined();
    expect(r.state.message?.text).toBe('no failed or cancelled cells to retry');
  });

  it('R retries cancelled cells too (after agora stop, nothing is failed)', () => {
    const snapshot = { ...ctx.snapshot, cells: ctx.snapshot.cells.filter((c) => c.state !== 'failed') };
    expect(snapshot.cells.some((c) => c.state === 'cancelled')).toBe(true);
    const r = interpretKey(INITIAL_UI, 'R', {}, { ...ctx, snapshot });
    expect(r.command).toEqual({ type: 'retry-all' });
  });

  it('D redoes a cell from a chosen stage, only after the stage and a y', () => {
    const target = ctx.snapshot.cells.find((c) => c.state !== 'running')!;
    const grid = ctx.snapshot.settings.indexOf(target.setting);
    const at = { ...INITIAL_UI, row: ctx.snapshot.generators.findIndex((g) => g.id === target.generator), col: grid };
    let r = interpretKey(at, 'D', {}, ctx);
    expect(r.state.message?.text).toMatch(/from which stage\? g generate · t train · e evaluate/);
    r = interpretKey(r.state, 't', {}, ctx);
    expect(r.command).toBeUndefined();
    // `t` chose the stage; it did not open the results view.
    expect(r.state.view).toBe('matrix');
    expect(r.state.message?.text).toMatch(/from train: .*costs stay in the ledger\)\? y\/n/);
    const yes = interpretKey(r.state, 'y', {}, ctx);
    expect(yes.command).toEqual({ type: 'reset', cellId: target.id, stage: 'train' });
    expect(interpretKey(r.state, 'n', {}, ctx).command).toBeUndefined();
    expect(interpretKey(interpretKey(at, 'D', {}, ctx).state, 'z', {}, ctx).state.message?.text).toMatch(/not reset/);
  });

  it('D on a running cell asks to stop it first', () => {
    const target = ctx.snapshot.cells.find((c) => c.state === 'running')!;
    const at = { ...INITIAL_UI, row: ctx.snapshot.generators.findIndex((g) => g.id === target.generator), col: ctx.snapshot.settings.indexOf(target.setting) };
    const r = interpretKey(at, 'D', {}, ctx);
    expect(r.state.confirmReset).toBeUndefined();
    expect(r.state.message?.text).toMatch(/stop it first/);
  });

  it('scrolls the budget view within maxScroll', () => {
    let s: UiState = { ...INITIAL_UI, view: 'budget' };
    for (let i = 0; i < 5; i++) s = interpretKey(s, 'j', {}, { ...ctx, maxScroll: 3 }).state;
    expect(s.scroll).toBe(3);
    s = interpretKey(s, 'k', {}, { ...ctx, maxScroll: 3 }).state;
    expect(s.scroll).toBe(2);
  });
});
