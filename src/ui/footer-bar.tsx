import { Text } from 'ink';
import type { UiMessage, View } from './key-map.js';
import { paint } from './color.js';

const KEYS: Readonly<Record<View, { wide: string; narrow: string }>> = {
  matrix: {
    wide: '←↑↓→/hjkl move · ⏎ detail · r retry · R retry failed · x cancel · s pause · b budget · t results · ? help · q quit',
    narrow: 'hjkl move ⏎ detail r/R retry x cancel s pause b t ? q',
  },
  detail: {
    wide: '⏎/Esc back · ←↑↓→ next cell · r retry · x cancel · b budget · t results · ? help · q quit',
    narrow: '⏎/Esc back ←↑↓→ cell r retry x cancel q quit',
  },
  budget: { wide: 'Esc/b back · j/k scroll · t results · ? help · q quit', narrow: 'Esc/b back j/k scroll q quit' },
  results: { wide: 'Esc/t back · j/k scroll · b budget · ? help · q quit', narrow: 'Esc/t back j/k scroll q quit' },
  help: { wide: 'Esc/? back · j/k scroll · q quit', narrow: 'Esc/? back q quit' },
};

export const FOOTER_LINES = 2;

/** The message line (blank when there is none, so the layout does not jump) and the keys. */
export function FooterBar({ view, message, width, noColor }: { view: View; message?: UiMessage; width: number; noColor?: boolean }) {
  const keys = KEYS[view];
  return (
    <>
      <Text wrap="truncate-end" color={paint(noColor, message?.tone === 'warn' ? 'yellow' : 'cyan')}>
        {message?.text ?? ' '}
      </Text>
      <Text dimColor wrap="truncate-end">
        {keys.wide.length < width ? keys.wide : keys.narrow}
      </Text>
    </>
  );
}
