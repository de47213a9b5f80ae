import type { CellState, Stage } from '../cell-state.js';
import type { Domain, Method, SettingId } from '../setting.js';
import { parseSetting } from '../setting.js';

/** Colour names as Ink/chalk understands them; core holds only the names, never a renderer. */
export type ColorName = 'gray' | 'cyan' | 'green' | 'red' | 'magenta' | 'yellow' | 'white' | 'blue';

export interface StateStyle {
  /**
   * One column wide, distinct for every state, so the matrix reads without colour (NO_COLOR).
   * On a live dashboard running cells show the spinner's frame instead (one column, distinct
   * from every glyph here); this still glyph is for lines, `agora status` and tests.
   */
  readonly glyph: string;
  readonly color: ColorName;
  readonly label: string;
}

export const STATE_STYLE: Readonly<Record<CellState, StateStyle>> = {
  pending: { glyph: '·', color: 'gray', label: 'pending' },
  running: { glyph: '▸', color: 'cyan', label: 'running' },
  done: { glyph: '✓', color: 'green', label: 'done' },
  failed: { glyph: '✗', color: 'red', label: 'failed' },
  blocked: { glyph: '⊘', color: 'magenta', label: 'blocked' },
  'budget-exhausted': { glyph: '$', color: 'yellow', label: 'budget exhausted' },
  cancelled: { glyph: '–', color: 'gray', label: 'cancelled' },
};

export const STAGE_LETTER: Readonly<Record<Stage, string>> = {
  generate: 'G',
  train: 'T',
  evaluate: 'E',
  score: 'S',
  metrics: 'M',
};

export const METHOD_SHORT: Readonly<Record<Method, string>> = { instance: 'ig', response: 'rg', quality: 'qe' };
export const DOMAIN_SHORT: Readonly<Record<Domain, string>> = { math: 'M', code: 'C', inst: 'I' };
export const DOMAIN_WORD: Readonly<Record<Domain, string>> = { math: 'Math', code: 'Code', inst: 'Inst' };

/** Compact matrix header, e.g. `M/ig` for math/instance. */
export function settingShortLabel(id: SettingId): string {
  const { domain, method } = parseSetting(id);
  return `${DOMAIN_SHORT[domain]}/${METHOD_SHORT[method]}`;
}

/** Two lines, to fit 80 columns. */
export const STATE_LEGEND: readonly string[] = [
  ['pending', 'running', 'done', 'failed'],
  ['blocked', 'budget-exhausted', 'cancelled'],
].map((states) => (states as CellState[]).map((s) => `${STATE_STYLE[s].glyph} ${STATE_STYLE[s].label}`).join('  '));

export const STAGE_LEGEND: string = (Object.keys(STAGE_LETTER) as Stage[]).map((s) => `${STAGE_LETTER[s]} ${s}`).join('  ');
