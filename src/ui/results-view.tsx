import { Text } from 'ink';
import type { RunSnapshot } from '../core/snapshot.js';
import { METHOD_LABEL, METHODS } from '../core/setting.js';
import { DOMAIN_WORD } from '../core/views/cell-style.js';
import { fit, formatPgr } from '../core/views/format.js';
import { buildResultsTable, isBest, type ResultValue, type ResultsTable } from '../core/views/results-table.js';

export interface ResultsViewProps {
  readonly run: RunSnapshot;
  readonly width: number;
  readonly height: number;
  readonly scroll: number;
  readonly noColor?: boolean;
}

const COLS = 12;
const MAX_NOTES = 4;
/** `│` before each method group, and a blank before the second and third so a best marker never touches it. */
const SEPARATORS = 5;
const groupSep = (c: number) => (c % 4 !== 0 ? '' : c === 0 ? '│' : ' │');

function widths(run: RunSnapshot, width: number): { name: number; col: number } {
  const longest = Math.max(8, ...run.generators.map((g) => g.id.length));
  // The name column keeps a blank before the first `│`.
  let name = Math.min(20, longest + 1);
  let col = Math.min(8, Math.floor((width - 1 - SEPARATORS - name) / COLS));
  if (col < 5) {
    col = 5;
    name = Math.max(6, width - 1 - SEPARATORS - COLS * col);
  }
  return { name, col };
}

/** Right-aligned value plus a one-character best marker, exactly `col` wide. */
function cellText(v: ResultValue, col: number, best: boolean): string {
  const room = col - 2;
  let s = '·';
  if (v.kind === 'reason') s = 'n/a';
  if (v.kind === 'value') {
    s = formatPgr(v.value, 1);
    if (s.length > room) s = formatPgr(v.value, 0);
  }
  return ` ${fit(s, room, 'right')}${best ? '*' : ' '}`;
}

export function resultsScroll(run: RunSnapshot, height: number): { visible: number; max: number } {
  const visible = Math.max(1, height - 4 - MAX_NOTES - 1);
  return { visible, max: Math.max(0, run.generators.length - visible) };
}

function Rows({ table, run, name, col, start, visible }: { table: ResultsTable; run: RunSnapshot; name: number; col: number; start: number; visible: number }) {
  return (
    <>
      {table.rows.slice(start, start + visible).map((row, k) => {
        const r = start + k;
        return (
          <Text key={row.generatorId}>
            {fit(run.generators[r]?.id ?? row.generatorId, name - 1)}{' '}
            {row.values.map((v, c) => {
              const best = isBest(table, r, c);
              const avg = c % 4 === 3;
              return (
                <Text key={c}>
                  {groupSep(c)}
                  <Text bold={best || avg} dimColor={v.kind === 'empty'}>
                    {cellText(v, col, best)}
                  </Text>
                </Text>
              );
            })}
          </Text>
        );
      })}
    </>
  );
}

/** The paper's Table 2: generators x (method: math, code, inst, average), best per column marked. */
export function ResultsView({ run, width, height, scroll }: ResultsViewProps) {
  const table = buildResultsTable(run);
  if (!table.hasScores) {
    return (
      <>
        <Text bold>Results (PGR, %)</Text>
        <Text>No cell has been scored yet: PGR appears here once a cell finishes evaluation.</Text>
      </>
    );
  }
  const { name, col } = widths(run, width);
  const { visible, max } = resultsScroll(run, height);
  const start = Math.min(scroll, max);
  const group = COLS / 3;
  const notes = table.reasons.slice(0, MAX_NOTES).map((r) => `n/a ${r.generatorId} ${r.setting}: ${r.reason}`);
  return (
    <>
      <Text bold wrap="truncate-end">
        Results: PGR (%) per setting; average over the three domains{max > 0 ? `  (j/k scroll)` : ''}
      </Text>
      <Text bold>
        {' '.repeat(name)}
        {METHODS.map((m, i) => `${groupSep(i * 4)}${fit(` ${METHOD_LABEL[m]}`, group * col)}`).join('')}
      </Text>
      <Text bold>
        {fit('generator', name)}
        {table.columns.map((c, i) => `${groupSep(i)}${fit(c.domain ? DOMAIN_WORD[c.domain] : 'Avg', col - 1, 'right')} `).join('')}
      </Text>
      <Rows table={table} run={run} name={name} col={col} start={start} visible={visible} />
      <Text dimColor wrap="truncate-end">
        * best in column · · not scored yet · n/a scored without a PGR
      </Text>
      {notes.map((n, i) => (
        <Text key={i} wrap="truncate-end">
          {n}
        </Text>
      ))}
    </>
  );
}
