import { Box, Text } from 'ink';
import { useCallback, useMemo, useRef, useSyncExternalStore } from 'react';
import type { CellDetail, CellSnapshot, RunSnapshot } from '../core/snapshot.js';
import { atProviderText, cellProgress } from '../core/views/cell-progress.js';
import { STATE_STYLE } from '../core/views/cell-style.js';
import { projectCosts } from '../core/views/cost-projection.js';
import { formatInt, formatUsd, wrapWords } from '../core/views/format.js';
import { computeMatrixLayout, windowRows } from '../core/views/matrix-layout.js';
import { AnalysesView, analysesScroll } from './analyses-view.js';
import { BudgetView, budgetScrollRows } from './budget-view.js';
import { cellGrid } from './cell-grid.js';
import type { DashboardProps } from './dashboard-props.js';
import { DetailView } from './detail-view.js';
import { FOOTER_LINES, FooterBar } from './footer-bar.js';
import { HEADER_LINES, HeaderBar } from './header-bar.js';
import { HelpView, helpScroll } from './help-view.js';
import type { KeyContext } from './key-map.js';
import { MatrixView } from './matrix-view.js';
import { ResultsView, resultsScroll } from './results-view.js';
import { useSpinnerFrame } from './spinner-clock.js';
import { useDashboardKeys } from './use-dashboard-keys.js';
import { useAnalyses } from './use-analyses.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Status line and page indicator under the matrix. */
const MATRIX_EXTRA_LINES = 2;

function describe(cell: CellSnapshot | undefined): string {
  if (!cell) return 'no cell here';
  const prog = cellProgress(cell);
  return [
    `» ${cell.generator} · ${cell.setting}`,
    `${cell.stage} ${STATE_STYLE[cell.state].label}`,
    prog ? `${formatInt(prog.done)}/${formatInt(prog.total)} ${prog.unit}` : '',
    cell.atProvider ? atProviderText(cell.atProvider) : '',
    cell.rejected > 0 ? `${formatInt(cell.rejected)} rejected` : '',
    `${formatUsd(cell.costUsd + cell.gpuCostUsd)}`,
    cell.error ? `error: ${cell.error}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function loadDetail(load: (id: number) => CellDetail | undefined, cell: CellSnapshot | undefined): CellDetail | undefined {
  if (!cell) return undefined;
  try {
    return load(cell.id);
  } catch {
    // The store may be mid-migration or locked; the matrix row still shows the basics.
    return undefined;
  }
}

/** The live dashboard: renders snapshots from `source`, maps keys to `actions`. */
export function Dashboard(props: DashboardProps) {
  const { source, actions, noColor, hint } = props;
  const subscribe = useCallback((listener: () => void) => source.subscribe(listener), [source]);
  const getSnapshot = useCallback(() => source.getSnapshot(), [source]);
  const run: RunSnapshot = useSyncExternalStore(subscribe, getSnapshot);
  const term = useTerminalSize();
  // One column short of the terminal: a line that fills the last column wraps in some terminals.
  const width = props.width ?? term.columns;
  const height = props.height ?? term.rows;

  const projection = useMemo(() => projectCosts(run), [run]);
  const spin = useSpinnerFrame(
    run.cells.some((c) => c.state === 'running'),
    props.spinnerMs,
  );
  // The hint is wrapped, not cut: it says how to unblock cells (which variable to export).
  // Above it, what the run itself says: stopped by `agora stop`, a config edit not taken.
  const banner = [run.stopped && `The run was ${run.stopped}: nothing new starts. Press s to start it again.`, run.notice, hint].filter(Boolean).join('\n');
  const hintText = useMemo(() => (banner ? wrapWords(banner, Math.max(1, width - 1)) : []), [banner, width]);
  const hintLines = hintText.length;
  const chrome = HEADER_LINES + hintLines + FOOTER_LINES;
  const bodyHeight = Math.max(1, height - 1 - chrome);
  // Ablation rows are named `generator@variant`.
  const longestVariant = (run.variants ?? []).reduce((m, v) => Math.max(m, v.length + 1), 0);
  const longestName = run.generators.reduce((m, g) => Math.max(m, g.id.length + longestVariant + (g.blockedReason ? 2 : 0)), 0);
  const layout = useMemo(
    () => computeMatrixLayout({ width, height, longestName, reservedLines: chrome + MATRIX_EXTRA_LINES, columns: run.settings.length }),
    [width, height, longestName, chrome, run.settings.length],
  );

  const context = useRef<KeyContext>({ snapshot: run, pageRows: layout.visibleRows });
  const ui = useDashboardKeys(actions, context);
  const grid = cellGrid(run);
  const selRow = Math.max(0, Math.min(grid.rows - 1, ui.row));
  const selCol = Math.max(0, Math.min(grid.cols - 1, ui.col));
  const selected = grid.at(selRow, selCol);
  const analysis = useAnalyses(ui.view === 'analyses', actions, run);
  const maxScroll =
    ui.view === 'budget'
      ? budgetScrollRows(run, bodyHeight).max
      : ui.view === 'results'
        ? resultsScroll(run, bodyHeight).max
        : ui.view === 'analyses'
          ? analysesScroll(analysis, width, bodyHeight).max
          : ui.view === 'help'
            ? helpScroll(bodyHeight).max
            : 0;
  context.current = { snapshot: run, pageRows: layout.visibleRows, maxScroll };

  const detail = useMemo(() => (ui.view === 'detail' ? loadDetail((id) => actions.loadDetail(id), selected) : undefined), [ui.view, selected, actions, run]);

  let body;
  if (ui.view === 'detail') {
    body = <DetailView detail={detail} width={width} height={bodyHeight} now={run.takenAt} noColor={noColor} spin={spin} />;
  } else if (ui.view === 'budget') {
    body = <BudgetView run={run} width={width} height={bodyHeight} scroll={ui.scroll} noColor={noColor} />;
  } else if (ui.view === 'results') {
    body = <ResultsView run={run} width={width} height={bodyHeight} scroll={ui.scroll} noColor={noColor} />;
  } else if (ui.view === 'analyses') {
    body = <AnalysesView analysis={analysis} width={width} height={bodyHeight} scroll={ui.scroll} />;
  } else if (ui.view === 'help') {
    body = <HelpView height={bodyHeight} scroll={ui.scroll} />;
  } else {
    const win = windowRows(selRow, grid.rows, layout.visibleRows);
    const paged = win.end - win.start < grid.rows;
    const what = grid.rows === run.generators.length ? 'generators' : 'rows';
    body = (
      <>
        <MatrixView run={run} layout={layout} window={win} selRow={selRow} selCol={selCol} noColor={noColor} spin={spin} />
        <Text wrap="truncate-end">{describe(selected)}</Text>
        <Text dimColor wrap="truncate-end">
          {paged ? `${what} ${win.start + 1}-${win.end} of ${grid.rows} (PgUp/PgDn)` : ' '}
        </Text>
      </>
    );
  }

  return (
    <Box flexDirection="column" width={Math.max(1, width - 1)}>
      <HeaderBar run={run} projection={projection} width={width} noColor={noColor} spin={spin} />
      {hintText.length > 0
        ? hintText.map((line, i) => (
            <Text key={i} dimColor wrap="truncate-end">
              {line}
            </Text>
          ))
        : null}
      {body}
      <FooterBar view={ui.view} {...(ui.message ? { message: ui.message } : {})} width={width} noColor={noColor} />
    </Box>
  );
}
