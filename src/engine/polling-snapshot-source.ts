import type { RunSnapshot } from '../core/snapshot.js';
import type { SnapshotQuery } from '../store/snapshot-query.js';

/**
 * Polls the store and hands out a new snapshot object only when something changed, so React
 * re-renders only then. One O(cells) query a second by default (actions and conductor ticks
 * refresh at once): with the spinner, about 3 frames a second, light beside the workers.
 */
export class PollingSnapshotSource {
  private snapshot: RunSnapshot;
  private fingerprint: string;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly query: SnapshotQuery,
    private opts: { runDir: string; readOnly: boolean; intervalMs?: number },
  ) {
    this.snapshot = query.take(opts);
    this.fingerprint = fingerprintOf(this.snapshot);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.refresh(), this.opts.intervalMs ?? 1000);
  }

  /** For good: a refresh asked for later (an action finishing while quitting) reads nothing. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** This process stopped conducting (another took the run over): it now only watches. */
  setReadOnly(): void {
    this.opts = { ...this.opts, readOnly: true };
    this.refresh();
  }

  /** Reads now (after an action, so its effect shows without waiting for the next poll). */
  refresh(): void {
    if (this.stopped) return;
    const next = this.query.take(this.opts);
    const fp = fingerprintOf(next);
    if (fp === this.fingerprint) return;
    this.snapshot = next;
    this.fingerprint = fp;
    for (const l of this.listeners) l();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): RunSnapshot => this.snapshot;
}

function fingerprintOf(s: RunSnapshot): string {
  const { takenAt: _, ...rest } = s;
  return JSON.stringify(rest);
}
