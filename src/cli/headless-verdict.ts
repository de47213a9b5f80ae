import type { Stage } from '../core/cell-state.js';
import type { RunSnapshot } from '../core/snapshot.js';
import { plural } from '../core/views/format.js';

export interface HeadlessVerdict {
  readonly code: number;
  readonly line: string;
}

/** What the verdict needs of the conductor: whether it settled, and whether the run was stopped. */
export interface SettleSource {
  isSettled(): boolean;
  readonly stoppedReason: string | undefined;
}

/**
 * After a tick of `agora run --no-tui`: the snapshot to report, and the exit when the run has
 * ended. Settled (and stopped) are decided BEFORE the snapshot is read: a job that ends between
 * the two reads then shows as ended, never as "1 running" in a finished sweep's summary (the
 * other order made a finished sweep exit 1). `stages`: the stages the conductor runs (requested
 * and with a driver), so a run without a `metrics:` section ends at score.
 */
export function headlessVerdict(conductor: SettleSource, read: () => RunSnapshot, stages: readonly Stage[]): { snap: RunSnapshot; verdict?: HeadlessVerdict } {
  const settled = conductor.isSettled();
  const stopped = conductor.stoppedReason;
  const snap = read();
  const last = stages[stages.length - 1];
  const unfinished = snap.cells.filter((c) => !(c.stage === last && c.state === 'done'));
  if (stopped && !snap.cells.some((c) => c.state === 'running')) {
    return {
      snap,
      verdict: {
        code: 1,
        line: `the run was ${stopped}; ${unfinished.length} of ${plural(snap.cells.length, 'cell')} not finished. \`agora run\` starts it again`,
      },
    };
  }
  if (!settled) return { snap };
  if (unfinished.length === 0)
    return { snap, verdict: { code: 0, line: `${snap.cells.length === 1 ? 'the cell' : `all ${snap.cells.length} cells`} finished ${last}` } };
  return {
    snap,
    verdict: {
      code: 1,
      line: `stopped with ${unfinished.length} of ${plural(snap.cells.length, 'cell')} not finished: ${summarize(unfinished.map((c) => c.state))}`,
    },
  };
}

function summarize(states: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}
