import { Text } from 'ink';
import { STAGE_LEGEND, STATE_LEGEND } from '../core/views/cell-style.js';

export const HELP_LINES: readonly string[] = [
  'Keys',
  '  ←↑↓→ / hjkl   move the selection (PgUp/PgDn: a page of generators)',
  '  Enter         open the selected cell; Enter or Esc goes back',
  '  r             retry the selected cell (failed/blocked/over budget/cancelled)',
  '  R             retry every failed or cancelled cell (with the config as it is on disk now)',
  "  x             cancel the selected cell's job (asks y/n first)",
  '  D             redo the selected cell from scratch from a stage (g/t/e, then y/n); costs stay',
  '  s             pause or resume scheduling (running jobs go on); starts a run stopped by agora stop',
  '  b  t  a  ?    budget, results, analyses (intrinsic metrics, PCA, regressions), this help',
  '                (the same key or Esc goes back)',
  '  q  Ctrl-C     quit: background jobs keep running; reopen to re-attach',
  'Cells',
  ...STATE_LEGEND.map((l) => `  ${l}`),
  `  stages: ${STAGE_LEGEND}`,
  '  top: state, stage, progress (accepted/target, step/total, graded/total)',
  '       or the PGR once scored; bottom: cost so far (API + GPU)',
  '  under each generator: what it has spent',
  'Read-only',
  '  while another agora process conducts this run, r, R, x and s are off here',
];

export function helpScroll(height: number): { visible: number; max: number } {
  const visible = Math.max(1, height);
  return { visible, max: Math.max(0, HELP_LINES.length - visible) };
}

export function HelpView({ height, scroll }: { height: number; scroll: number }) {
  const { visible, max } = helpScroll(height);
  const start = Math.min(scroll, max);
  return (
    <>
      {HELP_LINES.slice(start, start + visible).map((l, i) => (
        <Text key={i} wrap="truncate-end" bold={!l.startsWith(' ')}>
          {l}
        </Text>
      ))}
    </>
  );
}
