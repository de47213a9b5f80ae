import { Text } from 'ink';
import { memo } from 'react';
import type { ColorName } from '../core/views/cell-style.js';

export interface RowCell {
  readonly top: string;
  readonly bottom: string;
  readonly color?: ColorName;
  readonly selected: boolean;
}

export interface MatrixRowProps {
  /** Name column, top line (generator id) and bottom line (its spend), already fitted. */
  readonly nameTop: string;
  readonly nameBottom: string;
  readonly nameColor?: ColorName;
  /** Nine cells in setting order; a `│` precedes every third. */
  readonly cells: readonly RowCell[];
  /** Everything the row shows, as one string: rows re-render only when it changes. */
  readonly signature: string;
}

/**
 * Before each cell: a blank; before each method group a `│` too, with a blank on both sides
 * so that a cell whose text fills its width (`⠦G 210/300`) never touches the rule.
 */
export function groupSeparator(i: number): string {
  return i % 3 !== 0 ? ' ' : i === 0 ? '│ ' : ' │ ';
}

function line(cells: readonly RowCell[], part: 'top' | 'bottom') {
  return cells.map((c, i) => (
    <Text key={i}>
      {groupSeparator(i)}
      <Text color={c.color} inverse={c.selected} dimColor={part === 'bottom' && !c.selected}>
        {c[part]}
      </Text>
    </Text>
  ));
}

/** One generator: a single `<Text>` of two lines with coloured spans (faster than a Box per cell). */
export const MatrixRow = memo(
  function MatrixRow({ nameTop, nameBottom, nameColor, cells }: MatrixRowProps) {
    return (
      <Text>
        <Text color={nameColor} bold>
          {nameTop}
        </Text>
        {line(cells, 'top')}
        {'\n'}
        <Text dimColor>{nameBottom}</Text>
        {line(cells, 'bottom')}
      </Text>
    );
  },
  (a, b) => a.signature === b.signature,
);
