import { Text } from 'ink';
import type { RunSnapshot } from '../core/snapshot.js';
import { DOMAINS, METHOD_LABEL, METHODS, type SettingId } from '../core/setting.js';
import { formatCellLines } from '../core/views/cell-progress.js';
import { DOMAIN_WORD, STATE_STYLE, settingShortLabel, type ColorName } from '../core/views/cell-style.js';
import { fit, formatUsdShort } from '../core/views/format.js';
import { shortGeneratorLabels } from '../core/views/generator-labels.js';
import type { MatrixLayout, RowWindow } from '../core/views/matrix-layout.js';
import { cellGrid } from './cell-grid.js';
import { paint } from './color.js';
import { groupSeparator, MatrixRow, type RowCell } from './matrix-row.js';

export interface MatrixViewProps {
  readonly run: RunSnapshot;
  readonly layout: MatrixLayout;
  readonly window: RowWindow;
  readonly selRow: number;
  readonly selCol: number;
  readonly noColor?: boolean;
  /** The shared spinner frame: it stands in for the glyph of running cells (undefined: still). */
  readonly spin?: string | undefined;
}

function ColumnHeader({ run, layout }: { run: RunSnapshot; layout: MatrixLayout }) {
  const w = layout.cellWidth;
  const pad = ' '.repeat(layout.nameWidth);
  const groups = (label: (s: SettingId, i: number) => string) => run.settings.map((s, i) => `${groupSeparator(i)}${fit(label(s, i), w)}`).join('');
  if (layout.compact) return <Text bold>{fit('', layout.nameWidth) + groups((s) => settingShortLabel(s))}</Text>;
  // Wide headers assume the paper's order (method groups of three domains); other orders fall back to per-column labels.
  const paperOrder = run.settings.length === 9 && run.settings.every((s, i) => s === `${DOMAINS[i % 3]}/${METHODS[Math.floor(i / 3)]}`);
  if (!paperOrder) return <Text bold>{fit('', layout.nameWidth) + groups((s) => s)}</Text>;
  const groupWidth = 3 * (w + 1) - 1;
  const top = METHODS.map((m, i) => `${groupSeparator(i * 3)}${fit(METHOD_LABEL[m], groupWidth)}`).join('');
  return (
    <Text bold>
      {pad + top}
      {'\n'}
      {pad + groups((_, i) => DOMAIN_WORD[DOMAINS[i % 3] ?? 'math'])}
    </Text>
  );
}

/** The generator x setting matrix, windowed to the rows that fit. */
export function MatrixView({ run, layout, window, selRow, selCol, noColor, spin }: MatrixViewProps) {
  const grid = cellGrid(run);
  const blank = ' '.repeat(layout.cellWidth);
  // Labels are unique across the whole run, not just the rows on screen. `⊘ ` marks blocked
  // ones: a blocked row takes the narrower form only when its label does not fit beside it.
  // An ablation row is named `generator@variant`, shortened with the others.
  const nameOf = (r: number) => {
    const row = grid.row(r);
    return row ? `${row.generator.id}${row.variant !== undefined ? `@${row.variant}` : ''}` : '';
  };
  const ids = Array.from({ length: grid.rows }, (_, r) => nameOf(r));
  const wide = shortGeneratorLabels(ids, layout.nameWidth - 1);
  const narrow = shortGeneratorLabels(ids, layout.nameWidth - 3);
  const labelOf = (name: string, g: { blockedReason?: string }) => {
    const label = wide.get(name) ?? name;
    return g.blockedReason && [...label].length > layout.nameWidth - 3 ? (narrow.get(name) ?? label) : label;
  };
  const rows = ids.slice(window.start, window.end).map((name, k) => {
    const r = window.start + k;
    const { generator: g, variant } = grid.row(r)!;
    let signature = `${layout.cellWidth}|${layout.nameWidth}|${noColor ? 1 : 0}|${name}|${g.spentUsd}|${g.blockedReason ?? ''}`;
    const cells: RowCell[] = run.settings.map((_, col) => {
      const cell = grid.at(r, col);
      const selected = r === selRow && col === selCol;
      const lines = cell ? formatCellLines(cell, layout.cellWidth, cell.state === 'running' ? spin : undefined) : { top: blank, bottom: blank };
      const color: ColorName | undefined = cell ? paint(noColor, STATE_STYLE[cell.state].color) : undefined;
      signature += `|${lines.top}|${lines.bottom}|${color ?? ''}|${selected ? 1 : 0}`;
      return { top: lines.top, bottom: lines.bottom, selected, ...(color ? { color } : {}) };
    });
    const nameColor = paint(noColor, g.blockedReason ? 'magenta' : undefined);
    // A generator's spending shows once, on its main row.
    const spend = variant === undefined && g.spentUsd > 0 ? formatUsdShort(g.spentUsd, layout.nameWidth - 1) : '';
    // The name column keeps one blank before the first `│`.
    return (
      <MatrixRow
        key={name}
        nameTop={`${fit(`${g.blockedReason ? '⊘ ' : ''}${labelOf(name, g)}`, layout.nameWidth - 1)} `}
        nameBottom={fit(spend, layout.nameWidth)}
        {...(nameColor ? { nameColor } : {})}
        cells={cells}
        signature={signature}
      />
    );
  });
  return (
    <>
      <ColumnHeader run={run} layout={layout} />
      {rows}
    </>
  );
}
