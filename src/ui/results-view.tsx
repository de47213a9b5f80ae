import { shortGeneratorLabels } from '../core/views/generator-labels.js';
import { Text } from 'ink';
import { shortOrigin } from '../core/report/baseline-lines.js';
import { averageFlag } from '../core/report/pgr-flags.js';
import type { BaselineOrigin, RunSnapshot } from '../core/snapshot.js';
import { DOMAINS, METHOD_LABEL, METHODS } from '../core/setting.js';
import { DOMAIN_WORD } from '../core/views/cell-style.js';
import { fit, formatPgr } from '../core/views/format.js';
import { costPgrSummaries, renderCostPgrChart } from '../core/views/cost-pgr-chart.js';
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

/** Right-aligned value (`!` after a flagged PGR) plus a one-character best marker, exactly `col` wide. */
function cellText(v: ResultValue, col: number, best: boolean, flagged: boolean): string {
  const room = col - 2;
  const mark = flagged ? '!' : '';
  let s = '·';
  if (v.kind === 'reason') s = 'n/a';
  if (v.kind === 'value') {
    s = formatPgr(v.value, 1) + mark;
    if (s.length > room) s = formatPgr(v.value, 0) + mark;
  }
  return ` ${fit(s, room, 'right')}${best ? '*' : ' '}`;
}

/** Flags per generator and column: a domain's from its cell's PGR, an average's from its three domains (issue 9). */
function flagsOf(run: RunSnapshot): { at: (generatorId: string, col: number) => string | undefined; notes: string[] } {
  const byCell = new Map<string, string>();
  const notes: string[] = [];
  for (const c of run.cells) {
    const pgr = c.scores?.pgr;
    if (pgr && 'value' in pgr && pgr.flag !== undefined) {
      byCell.set(`${c.generator}\t${c.setting}`, pgr.flag);
      notes.push(`! ${c.generator} ${c.setting}: ${pgr.flag}`);
    }
  }
  const at = (generatorId: string, col: number) => {
    const method = METHODS[Math.floor(col / 4)];
    const domain = DOMAINS[col % 4];
    if (domain) return byCell.get(`${generatorId}\t${domain}/${method}`);
    return averageFlag(
      DOMAINS.map((d) => byCell.get(`${generatorId}\t${d}/${method}`)),
      DOMAINS,
    );
  };
  return { at, notes };
}

function originText(o: BaselineOrigin): string {
  return o.kind === 'evaluated' ? `${shortOrigin(o)} (${o.model})` : shortOrigin(o);
}

/** Which S_ref and S_0 the scored cells were computed against; several when cells disagree. */
function baselinesLine(run: RunSnapshot): string {
  const said = (subject: 'base' | 'reference') => {
    const all = new Set(run.cells.flatMap((c) => (c.scores ? [c.scores.baselines ? originText(c.scores.baselines[subject]) : 'not recorded'] : [])));
    return [...all].join(' / ');
  };
  // S_ref first: it is the one that used to come from the paper, and a narrow screen cuts the end.
  return `S_ref: ${said('reference')} · S_0: ${said('base')}`;
}

/** Title, baselines line, the two header lines, the legend and the notes around the rows. */
const CHROME = 5;

export function resultsScroll(run: RunSnapshot, height: number): { visible: number; max: number } {
  const visible = Math.max(1, height - CHROME - MAX_NOTES - 1);
  return { visible, max: Math.max(0, run.generators.length - visible) };
}

interface RowsProps {
  table: ResultsTable;
  run: RunSnapshot;
  name: number;
  col: number;
  start: number;
  visible: number;
  flagAt: (generatorId: string, col: number) => string | undefined;
}

function Rows({ table, run, name, col, start, visible, flagAt }: RowsProps) {
  // Ids longer than the name column get the matrix's unique short forms, not cuts that read alike.
  const labels = shortGeneratorLabels(
    run.generators.map((g) => g.id),
    name - 1,
  );
  return (
    <>
      {table.rows.slice(start, start + visible).map((row, k) => {
        const r = start + k;
        return (
          <Text key={row.generatorId}>
            {fit(labels.get(row.generatorId) ?? row.generatorId, name - 1)}{' '}
            {row.values.map((v, c) => {
              const best = isBest(table, r, c);
              const avg = c % 4 === 3;
              return (
                <Text key={c}>
                  {groupSep(c)}
                  <Text bold={best || avg} dimColor={v.kind === 'empty'}>
                    {cellText(v, col, best, v.kind === 'value' && flagAt(row.generatorId, c) !== undefined)}
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

/** The widest the chart gets: past this, columns add no resolution a reader can use. */
const CHART_MAX_WIDTH = 100;

/**
 * Cost against PGR (the paper's main figure) in the lines the table leaves free, after a blank.
 * The table comes first; a window too short for a plot says so in one line.
 */
function CostPgrChart({ run, width, room }: { run: RunSnapshot; width: number; room: number }) {
  if (room < 2) return null;
  const lines = renderCostPgrChart(costPgrSummaries(run), Math.min(width - 1, CHART_MAX_WIDTH), room - 1);
  return (
    <>
      <Text> </Text>
      {lines.length === 0 ? (
        <Text dimColor wrap="truncate-end">
          Cost against PGR: a taller window shows the chart here.
        </Text>
      ) : (
        lines.map((l, i) => (
          <Text key={i} wrap="truncate-end">
            {l}
          </Text>
        ))
      )}
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
  const flags = flagsOf(run);
  // Flags first: a number that is shown but cannot be read matters more than one that is missing.
  const notes = [...flags.notes, ...table.reasons.map((r) => `n/a ${r.generatorId} ${r.setting}: ${r.reason}`)].slice(0, MAX_NOTES);
  return (
    <>
      <Text bold wrap="truncate-end">
        Results: PGR (%) per setting; average over the three domains{max > 0 ? `  (j/k scroll)` : ''}
      </Text>
      <Text dimColor wrap="truncate-end">
        {baselinesLine(run)}
      </Text>
      <Text bold>
        {' '.repeat(name)}
        {METHODS.map((m, i) => `${groupSep(i * 4)}${fit(` ${METHOD_LABEL[m]}`, group * col)}`).join('')}
      </Text>
      <Text bold>
        {fit('generator', name)}
        {table.columns.map((c, i) => `${groupSep(i)}${fit(c.domain ? DOMAIN_WORD[c.domain] : 'Avg', col - 1, 'right')} `).join('')}
      </Text>
      <Rows table={table} run={run} name={name} col={col} start={start} visible={visible} flagAt={flags.at} />
      <Text dimColor wrap="truncate-end">
        * best in column · · not scored yet · n/a scored without a PGR · ! a PGR that cannot be read as recovery
      </Text>
      {notes.map((n, i) => (
        <Text key={i} wrap="truncate-end">
          {n}
        </Text>
      ))}
      {/* One line stays free, as the table alone keeps it. */}
      <CostPgrChart run={run} width={width} room={height - 1 - CHROME - Math.min(visible, table.rows.length - start) - notes.length} />
    </>
  );
}
