import type { Stage } from '../core/cell-state.js';
import type { CellRow } from '../store/cell-repo.js';
import type { JobRow } from '../store/job-repo.js';

/** What the conductor needs from each stage: when it can run, how to start, watch and stop it. */
export interface StageDriver {
  readonly stage: Stage;
  /** Why this cell cannot run this stage at all now (missing key, no GPU), or undefined. */
  blockedReason(cell: CellRow): string | undefined;
  /** How many more jobs of this stage may start now, for `cell` (a driver may keep pools apart). */
  capacity(running: readonly JobRow[], cell: CellRow): number;
  /** Creates the job row and starts its background work. */
  launch(cell: CellRow): Promise<void> | void;
  /**
   * Checks a running job: still going, or gone without recording an outcome (orphaned).
   * Drivers whose work is watched by the conductor (training) also record progress and
   * outcomes here.
   */
  poll(job: JobRow): Promise<'running' | 'ended' | { orphaned: string }> | 'running' | 'ended' | { orphaned: string };
  cancel(job: JobRow): Promise<void> | void;
  /** Re-divides shared limits (API concurrency) among running jobs. */
  rebalance?(running: readonly JobRow[]): void;
}
