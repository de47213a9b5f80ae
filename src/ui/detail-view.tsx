import { Box, Text } from 'ink';
import type { CellDetail } from '../core/snapshot.js';
import { STATE_STYLE, type ColorName } from '../core/views/cell-style.js';
import { buildDetailLines, type LineTone } from '../core/views/detail-lines.js';
import { paint } from './color.js';

export interface DetailViewProps {
  readonly detail: CellDetail | undefined;
  readonly width: number;
  /** Lines available. */
  readonly height: number;
  readonly now: number;
  readonly noColor?: boolean;
  /** The shared spinner frame while cells run (undefined: still). */
  readonly spin?: string | undefined;
}

const TONE_COLOR: Readonly<Record<LineTone, ColorName | undefined>> = {
  title: undefined,
  section: 'blue',
  dim: undefined,
  error: 'red',
  chart: 'cyan',
  plain: undefined,
};

/** One cell in full: timeline, rejections by reason, tokens, cost, errors, log, loss curve. */
export function DetailView({ detail, width, height, now, noColor, spin }: DetailViewProps) {
  if (!detail) return <Text>No detail for this cell (it may not have started yet).</Text>;
  const lines = buildDetailLines(detail, { width, height, now });
  const running = detail.cell.state === 'running';
  return (
    <>
      {lines.map((l, i) => (
        <Box key={i}>
          {i === 0 && running ? (
            <Box width={2} flexShrink={0}>
              <Text color={paint(noColor, 'cyan')}>{spin ?? STATE_STYLE.running.glyph}</Text>
            </Box>
          ) : null}
          <Text wrap="truncate-end" bold={l.tone === 'title' || l.tone === 'section'} dimColor={l.tone === 'dim'} color={paint(noColor, TONE_COLOR[l.tone])}>
            {l.text}
          </Text>
        </Box>
      ))}
    </>
  );
}
