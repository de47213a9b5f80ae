import type { CellDetail } from '../snapshot.js';
import { BENCHMARK_LABEL, DOMAIN_BENCHMARKS, DOMAIN_LABEL, METHOD_LABEL, parseSetting } from '../setting.js';
import { cellProgress } from './cell-progress.js';
import { STATE_STYLE } from './cell-style.js';
import { formatClock, formatCount, formatDuration, formatInt, formatPercent, formatPgr, formatUsd } from './format.js';
import { renderLossChart } from './loss-chart.js';

export type LineTone = 'title' | 'section' | 'dim' | 'error' | 'chart' | 'plain';
export interface DetailLine {
  readonly text: string;
  readonly tone: LineTone;
}

export { BENCHMARK_LABEL };

const TIMELINE_MAX = 6;
const ERRORS_MAX = 3;
const CHART_HEIGHT = 4;

/** ETA from the detail, the trainer, or the generation rate since the stage last started. */
export function estimateEta(d: CellDetail, now: number): number | undefined {
  if (d.etaSeconds !== undefined) return d.etaSeconds;
  const p = d.cell.progress;
  if (p?.stage === 'train' && p.etaSeconds !== undefined) return p.etaSeconds;
  if (d.cell.stage !== 'generate' || d.cell.state !== 'running') return undefined;
  const start = [...d.timeline].reverse().find((e) => e.stage === 'generate' && e.state === 'running');
  const elapsed = start ? (now - start.at) / 1000 : 0;
  const prog = cellProgress(d.cell);
  if (!prog || prog.done <= 0 || elapsed <= 0) return undefined;
  return ((prog.total - prog.done) * elapsed) / prog.done;
}

function line(text: string, tone: LineTone = 'plain'): DetailLine {
  return { text, tone };
}

/** Joins parts after `lead`, starting a new indented line where the next part would pass `width`. */
function wrapJoined(lead: string, parts: readonly string[], sep: string, width: number): string[] {
  if (parts.length === 0) return [];
  const indent = ' '.repeat(Math.min(lead.length, 4));
  const out: string[] = [];
  let cur = lead;
  let empty = true;
  for (const p of parts) {
    const next = empty ? cur + p : cur + sep + p;
    if (!empty && next.length > width) {
      out.push(cur);
      cur = indent + p;
    } else {
      cur = next;
    }
    empty = false;
  }
  out.push(cur);
  return out;
}

/**
 * Everything the detail view shows for one cell, as lines at most `height` long in total:
 * the log tail gives way first, as it is the least dense.
 */
export function buildDetailLines(d: CellDetail, opts: { width: number; height: number; now: number }): DetailLine[] {
  const c = d.cell;
  const { domain, method } = parseSetting(c.setting);
  const head: DetailLine[] = [line(`${c.generator} · ${c.setting}  (${DOMAIN_LABEL[domain]} · ${METHOD_LABEL[method]})  cell #${c.id}`, 'title')];
  const prog = cellProgress(c);
  const eta = estimateEta(d, opts.now);
  head.push(
    line(
      [
        `stage ${c.stage} · ${STATE_STYLE[c.state].label}`,
        prog ? `${formatInt(prog.done)}/${formatInt(prog.total)} ${prog.unit} (${formatPercent(prog.total ? prog.done / prog.total : 0)})` : '',
        eta !== undefined ? `ETA ${formatDuration(eta)}` : '',
      ]
        .filter(Boolean)
        .join(' · '),
    ),
  );
  head.push(line(`cost ${formatUsd(c.costUsd)} API + ${formatUsd(c.gpuCostUsd)} GPU · ${formatInt(d.retries)} retries`));
  head.push(line(`tokens ${formatCount(d.tokensIn)} in / ${formatCount(d.tokensOut)} out · ${formatInt(d.calls)} calls`));
  head.push(
    line(
      `accepted ${formatInt(c.accepted)}/${formatInt(c.target)} · rejected ${formatInt(c.rejected)}` +
        (c.dropped ? ` · dropped ${formatInt(c.dropped)} seed items (every attempt rejected)` : ''),
    ),
  );
  const reasons = Object.entries(d.rejectionsByReason)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${r} ${formatInt(n)}`);
  head.push(...wrapJoined('  rejected by reason: ', reasons, ' · ', opts.width - 1).map((t) => line(t)));
  if (c.error) head.push(line(`error: ${c.error}`, 'error'));
  if (c.scores) {
    const parts = DOMAIN_BENCHMARKS[domain].map((b) => {
      const raw = c.scores?.benchmarks[b];
      const pgr = c.scores?.pgrByBenchmark[b];
      const pgrText = pgr ? ('value' in pgr ? formatPgr(pgr.value) : `n/a: ${pgr.reason}`) : '—';
      return `${BENCHMARK_LABEL[b]} ${raw !== undefined ? raw.toFixed(1) : '—'} (PGR ${pgrText})`;
    });
    const pgr = c.scores.pgr;
    parts.push(`PGR ${'value' in pgr ? formatPgr(pgr.value) : `n/a: ${pgr.reason}`}`);
    head.push(line(`scores ${parts.join(' · ')}`));
    // Why the matrix marks this PGR `!` (issue 9): one reason per flagged benchmark.
    if ('value' in pgr && pgr.flag) head.push(...wrapJoined('! ', pgr.flag.split('; '), '; ', opts.width - 1).map((t) => line(t, 'error')));
  }

  const timeline = d.timeline.slice(-TIMELINE_MAX).map((e, i, arr) => {
    const next = arr[i + 1];
    // Only a running entry has a length: how long the stage ran, or has been running.
    const until = e.state !== 'running' ? undefined : next ? next.at : opts.now;
    const took = until !== undefined ? formatDuration((until - e.at) / 1000) : '';
    const msg = e.message ? `  ${e.message}` : '';
    return line(`  ${formatClock(e.at)}  ${e.stage.padEnd(8)} ${STATE_STYLE[e.state].label.padEnd(16)} ${took.padStart(7)}${msg}`);
  });
  const sections: DetailLine[] = [];
  if (timeline.length) sections.push(line('Timeline', 'section'), ...timeline);

  if (d.lossCurve.length > 0) {
    const finite = d.lossCurve.filter(Number.isFinite);
    const last = d.lossCurve[d.lossCurve.length - 1];
    const label = `Loss (${d.lossCurve.length} points, last ${last !== undefined && Number.isFinite(last) ? last.toFixed(4) : 'NaN'})`;
    const chartWidth = Math.max(8, Math.min(72, opts.width - 12));
    const rows = renderLossChart(d.lossCurve, chartWidth, CHART_HEIGHT);
    const hi = finite.length ? Math.max(...finite).toFixed(3) : '';
    const lo = finite.length ? Math.min(...finite).toFixed(3) : '';
    sections.push(line(label, 'section'));
    rows.forEach((r, i) => {
      const axis = i === 0 ? hi : i === rows.length - 1 ? lo : '';
      sections.push(line(`${axis.padStart(8)} │${r}`, 'chart'));
    });
  }

  if (d.lastErrors.length) {
    sections.push(line('Last errors', 'section'), ...d.lastErrors.slice(-ERRORS_MAX).map((e) => line(`  ${e}`, 'error')));
  }

  const out = [...head, ...sections];
  const room = opts.height - out.length - 1;
  if (d.logTail.length && room > 0) {
    out.push(line('Log', 'section'), ...d.logTail.slice(-room).map((l) => line(`  ${l}`, 'dim')));
  }
  return out.slice(0, Math.max(0, opts.height));
}
