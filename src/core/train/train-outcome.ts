import type { JobStatus } from '../job-runner-port.js';
import type { TrainProgressSummary } from './train-progress.js';

export type TrainOutcome =
  | { readonly state: 'pending' | 'running'; readonly reason?: string }
  | { readonly state: 'done'; readonly checkpoint: string }
  | { readonly state: 'failed'; readonly error: string }
  | { readonly state: 'cancelled'; readonly reason?: string };

/** `exited with code 3`, or the runner's own reason when it has one. */
function jobEndReason(job: JobStatus): string {
  if (job.reason) return job.reason;
  if (job.exitCode !== undefined) return `exited with code ${job.exitCode}`;
  return 'ended without an exit status';
}

function noDoneLine(progress: TrainProgressSummary): string {
  if (progress.records > 0) return `trainer exited 0 without its done line (last step ${progress.step}/${progress.totalSteps})`;
  return progress.ignored > 0
    ? 'trainer exited 0 without one progress record'
    : 'trainer exited 0 but wrote no progress (does train.command write --progress-file?)';
}

/**
 * What a trainer that wrote no record wrote instead: one speaking another shape is told which
 * line and why. Beside real records, skipped lines are stray prints and not worth the words.
 */
function ignoredLines(progress: TrainProgressSummary): string {
  const first = progress.firstIgnored;
  if (progress.records > 0 || progress.ignored === 0 || !first) return '';
  return `; ${progress.ignored} line(s) of its progress file were not progress records (first, line ${first.line}: ${first.why})`;
}

/**
 * Where a training job stands, from its runner status and its progress file. Both must
 * agree for success: a trainer that exits 0 without its done line has failed (it crashed
 * in a way that skipped the last write, or it is not speaking the protocol), and a done line
 * followed by a non-zero exit has failed too (the checkpoint may be incomplete).
 */
export function trainOutcome(job: JobStatus, progress: TrainProgressSummary): TrainOutcome {
  const result = progress.result;
  switch (job.state) {
    case 'pending':
    case 'running':
      return job.reason ? { state: job.state, reason: job.reason } : { state: job.state };
    case 'cancelled':
      return job.reason ? { state: 'cancelled', reason: job.reason } : { state: 'cancelled' };
    case 'failed': {
      const why = jobEndReason(job);
      if (result?.kind === 'failed') return { state: 'failed', error: `${result.error} (${why})` };
      if (result?.kind === 'done') return { state: 'failed', error: `trainer wrote its done line but then ${why}` };
      return { state: 'failed', error: `trainer ${why}` };
    }
    case 'done':
      if (result?.kind === 'done') return { state: 'done', checkpoint: result.checkpoint };
      if (result?.kind === 'failed') return { state: 'failed', error: result.error };
      return { state: 'failed', error: `${noDoneLine(progress)}${ignoredLines(progress)}` };
    default: {
      const never: never = job.state;
      throw new Error(`unknown job state ${String(never)}`);
    }
  }
}
