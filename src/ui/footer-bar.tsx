import { Text } from 'ink';
import type { UiMessage, View } from './key-map.js';
import { paint } from './color.js';

/** Each view's keys, widest form first; the footer shows the first form that fits. */
const KEYS: Readonly<Record<View, readonly string[]>> = {
  matrix: [
    '←↑↓→/hjkl move · ⏎ detail · r retry · R retry failed · x cancel · s pause · b budget · t results · a analyses · ? help · q quit',
    'hjkl move · ⏎ detail · r/R retry · x cancel · s pause · b budget · t results · a analyses · ? help · q quit',
    'hjkl move ⏎ detail r/R retry x cancel s pause b budget t results a analyses ? help q quit',
    'hjkl ⏎ r/R x s b t a · ? help · q quit',
  ],
  detail: [
    '⏎/Esc back · ←↑↓→ next cell · r retry · x cancel · b budget · t results · ? help · q quit',
    '⏎/Esc back · ←↑↓→ cell · r retry · x cancel · b t · ? help · q quit',
    '⏎/Esc back ←↑↓→ cell r retry x cancel ? help q quit',
  ],
  budget: ['Esc/b back · j/k scroll · t results · ? help · q quit', 'Esc/b back j/k scroll q quit'],
  results: ['Esc/t back · j/k scroll · b budget · a analyses · ? help · q quit', 'Esc/t back j/k scroll q quit'],
  analyses: ['Esc/a back · j/k scroll · PgUp/PgDn page · t results · ? help · q quit', 'Esc/a back j/k scroll q quit'],
  help: ['Esc/? back · j/k scroll · q quit', 'Esc/? back q quit'],
};

/** The first form narrower than the screen (one column short: a full line wraps in some terminals). */
export function footerKeys(view: View, width: number): string {
  const forms = KEYS[view];
  return forms.find((f) => [...f].length < width) ?? forms[forms.length - 1]!;
}

export const FOOTER_LINES = 2;

/** The message line (blank when there is none, so the layout does not jump) and the keys. */
export function FooterBar({ view, message, width, noColor }: { view: View; message?: UiMessage; width: number; noColor?: boolean }) {
  return (
    <>
      <Text wrap="truncate-end" color={paint(noColor, message?.tone === 'warn' ? 'yellow' : 'cyan')}>
        {message?.text ?? ' '}
      </Text>
      <Text dimColor wrap="truncate-end">
        {footerKeys(view, width)}
      </Text>
    </>
  );
}
