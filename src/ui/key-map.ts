import type { Key } from 'ink';
import { isRetryable } from '../core/cell-state.js';
import type { CellSnapshot, RunSnapshot } from '../core/snapshot.js';
import { cellGrid } from './cell-grid.js';

export type View = 'matrix' | 'detail' | 'budget' | 'results' | 'analyses' | 'help';

export interface UiMessage {
  readonly text: string;
  readonly tone: 'info' | 'warn';
}

export interface UiState {
  readonly view: View;
  /** Selected generator row and setting column. */
  readonly row: number;
  readonly col: number;
  /** First line shown in the scrolling views (budget, results, analyses, help). */
  readonly scroll: number;
  /** Cell id awaiting y/n before it is cancelled. */
  readonly confirmCancel?: number;
  /** A reset being asked for: which cell, then from which stage, then y/n. */
  readonly confirmReset?: { readonly cellId: number; readonly stage?: ResetStage };
  readonly message?: UiMessage;
}

/** The stages a cell can be redone from (`D`, as `agora reset`). */
export type ResetStage = 'generate' | 'train' | 'evaluate';
const RESET_KEYS: Readonly<Record<string, ResetStage>> = { g: 'generate', t: 'train', e: 'evaluate' };

export const INITIAL_UI: UiState = { view: 'matrix', row: 0, col: 0, scroll: 0 };

export type Command =
  | { readonly type: 'retry'; readonly cellId: number }
  | { readonly type: 'retry-all' }
  | { readonly type: 'cancel'; readonly cellId: number }
  | { readonly type: 'reset'; readonly cellId: number; readonly stage: ResetStage }
  | { readonly type: 'toggle-pause' }
  | { readonly type: 'quit' };

export interface KeyContext {
  readonly snapshot: RunSnapshot;
  /** Generator rows per page in the matrix. */
  readonly pageRows: number;
  /** Last scroll position of the current scrolling view. */
  readonly maxScroll?: number;
}

export interface KeyResult {
  readonly state: UiState;
  readonly command?: Command;
}

const READ_ONLY = 'read-only: another agora process conducts this run; r, R, x and s work there';

function label(c: CellSnapshot): string {
  return `${c.generator} ${c.setting}`;
}

function move(s: UiState, ctx: KeyContext, dRow: number, dCol: number): UiState {
  const grid = cellGrid(ctx.snapshot);
  const row = Math.max(0, Math.min(grid.rows - 1, s.row + dRow));
  const col = Math.max(0, Math.min(grid.cols - 1, s.col + dCol));
  return { ...s, row, col };
}

function movement(input: string, key: Partial<Key>, page: number): [number, number] | undefined {
  if (key.upArrow || input === 'k') return [-1, 0];
  if (key.downArrow || input === 'j') return [1, 0];
  if (key.leftArrow || input === 'h') return [0, -1];
  if (key.rightArrow || input === 'l') return [0, 1];
  if (key.pageUp) return [-page, 0];
  if (key.pageDown) return [page, 0];
  return undefined;
}

/** Maps one key press to the next UI state and at most one action; pure, so it is easy to test. */
export function interpretKey(prev: UiState, input: string, key: Partial<Key>, ctx: KeyContext): KeyResult {
  if (key.ctrl && input === 'c') return { state: prev, command: { type: 'quit' } };
  const s: UiState = { ...prev, message: undefined, confirmCancel: undefined, confirmReset: undefined };
  const selected = cellGrid(ctx.snapshot).at(s.row, s.col);

  if (prev.confirmReset !== undefined) return confirmingReset(prev.confirmReset, s, input, ctx);

  if (prev.confirmCancel !== undefined) {
    const cell = ctx.snapshot.cells.find((c) => c.id === prev.confirmCancel);
    const name = cell ? label(cell) : `cell ${prev.confirmCancel}`;
    if (input === 'y' || input === 'Y') {
      return { state: { ...s, message: { text: `cancelling ${name}`, tone: 'info' } }, command: { type: 'cancel', cellId: prev.confirmCancel } };
    }
    return { state: { ...s, message: { text: `${name} not cancelled`, tone: 'info' } } };
  }

  if (input === 'q') return { state: s, command: { type: 'quit' } };
  const toggle = (v: View): KeyResult => ({ state: { ...s, view: s.view === v ? 'matrix' : v, scroll: 0 } });
  if (input === '?') return toggle('help');
  if (input === 'b') return toggle('budget');
  if (input === 't') return toggle('results');
  if (input === 'a') return toggle('analyses');
  if (key.escape) return { state: { ...s, view: 'matrix' } };

  const mutating = input === 'r' || input === 'R' || input === 'x' || input === 's' || input === 'D';
  if (mutating && ctx.snapshot.readOnly) return { state: { ...s, message: { text: READ_ONLY, tone: 'warn' } } };
  if (input === 's') {
    const text = ctx.snapshot.paused ? 'resuming scheduling' : 'pausing: running jobs go on, no new ones start';
    return { state: { ...s, message: { text, tone: 'info' } }, command: { type: 'toggle-pause' } };
  }
  if (input === 'R') {
    // Cancelled cells too: after `agora stop` or `x`, R is how the work goes on.
    const failed = ctx.snapshot.cells.filter((c) => c.state === 'failed' || c.state === 'cancelled').length;
    if (failed === 0) return { state: { ...s, message: { text: 'no failed or cancelled cells to retry', tone: 'warn' } } };
    return {
      state: { ...s, message: { text: `retrying ${failed} failed or cancelled cell${failed === 1 ? '' : 's'}`, tone: 'info' } },
      command: { type: 'retry-all' },
    };
  }

  if (s.view === 'matrix' || s.view === 'detail') {
    const delta = movement(input, key, ctx.pageRows);
    if (delta) return { state: move(s, ctx, delta[0], delta[1]) };
    if (key.return) {
      if (s.view === 'detail') return { state: { ...s, view: 'matrix' } };
      if (!selected) return { state: { ...s, message: { text: 'no cell here', tone: 'warn' } } };
      return { state: { ...s, view: 'detail' } };
    }
    if (input === 'D') {
      if (!selected) return { state: { ...s, message: { text: 'no cell here', tone: 'warn' } } };
      if (selected.state === 'running') return { state: { ...s, message: { text: `${label(selected)} is running: stop it first (x)`, tone: 'warn' } } };
      const text = `redo ${label(selected)} from scratch from which stage? g generate · t train · e evaluate · any other key: no`;
      return { state: { ...s, confirmReset: { cellId: selected.id }, message: { text, tone: 'warn' } } };
    }
    if (input === 'r' || input === 'x') {
      if (!selected) return { state: { ...s, message: { text: 'no cell here', tone: 'warn' } } };
      if (input === 'r') {
        if (!isRetryable(selected.state)) {
          const text = `${label(selected)} is ${selected.state}; only failed, blocked, budget-exhausted or cancelled cells can be retried`;
          return { state: { ...s, message: { text, tone: 'warn' } } };
        }
        return { state: { ...s, message: { text: `retry requested: ${label(selected)}`, tone: 'info' } }, command: { type: 'retry', cellId: selected.id } };
      }
      if (selected.state !== 'running' && selected.state !== 'pending') {
        return { state: { ...s, message: { text: `${label(selected)} is ${selected.state}: nothing to cancel`, tone: 'warn' } } };
      }
      const text = `cancel ${label(selected)} (${selected.stage} ${selected.state})? y/n`;
      return { state: { ...s, confirmCancel: selected.id, message: { text, tone: 'warn' } } };
    }
    return { state: prev };
  }

  if (input === 'r' || input === 'x') {
    return { state: { ...s, message: { text: `${input} acts on the selected cell: press Esc for the matrix`, tone: 'warn' } } };
  }
  if (key.upArrow || input === 'k') return { state: { ...s, scroll: Math.max(0, s.scroll - 1) } };
  const limit = (n: number) => Math.max(0, Math.min(ctx.maxScroll ?? Number.MAX_SAFE_INTEGER, n));
  if (key.downArrow || input === 'j') return { state: { ...s, scroll: limit(s.scroll + 1) } };
  if (key.pageUp) return { state: { ...s, scroll: limit(s.scroll - ctx.pageRows) } };
  if (key.pageDown) return { state: { ...s, scroll: limit(s.scroll + ctx.pageRows) } };
  return { state: prev };
}

/**
 * Ink hands a run of plain characters that arrived in one read to `useInput` as a single
 * string (`bq`): keys typed while the dashboard started, or typed fast, would match no key.
 * Splits such a run into one key per character; control characters inside it become the
 * key Ink would have reported alone (Enter, Tab, Backspace, Ctrl-letter).
 */
export function splitKeyChunk(input: string, key: Partial<Key>): Array<{ input: string; key: Partial<Key> }> {
  const chars = [...input];
  const modified = key.ctrl || key.meta || key.escape || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow;
  if (chars.length < 2 || modified || input.includes('\u001b')) return [{ input, key }];
  return chars.map((ch) => {
    const code = ch.codePointAt(0)!;
    if (ch === '\r' || ch === '\n') return { input: '', key: { return: true } };
    if (ch === '\t') return { input: '', key: { tab: true } };
    if (ch === '\u007f' || ch === '\b') return { input: '', key: { backspace: true } };
    if (code >= 1 && code <= 26) return { input: String.fromCharCode(code + 96), key: { ctrl: true } };
    return { input: ch, key: /[A-Z]/.test(ch) ? { shift: true } : {} };
  });
}

/** The two answers a reset needs (which stage, then y/n); any other key leaves the cell as it is. */
function confirmingReset(ask: { cellId: number; stage?: ResetStage }, s: UiState, input: string, ctx: KeyContext): KeyResult {
  const cell = ctx.snapshot.cells.find((c) => c.id === ask.cellId);
  const name = cell ? label(cell) : `cell ${ask.cellId}`;
  const no: KeyResult = { state: { ...s, message: { text: `${name} not reset`, tone: 'info' } } };
  if (ask.stage === undefined) {
    const stage = RESET_KEYS[input];
    if (!stage) return no;
    const text = `redo ${name} from ${stage}: its ${stage} results and later ones are cleared (costs stay in the ledger)? y/n`;
    return { state: { ...s, confirmReset: { cellId: ask.cellId, stage }, message: { text, tone: 'warn' } } };
  }
  if (input !== 'y' && input !== 'Y') return no;
  return {
    state: { ...s, message: { text: `resetting ${name} to ${ask.stage}`, tone: 'info' } },
    command: { type: 'reset', cellId: ask.cellId, stage: ask.stage },
  };
}
