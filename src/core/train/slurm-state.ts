import { isFinished, type JobState, type JobStatus } from '../job-runner-port.js';

/**
 * Slurm job states to agora's job states, with the reason people need to act on them.
 * Sources: `sacct -P -n --format=JobID,State,ExitCode,Reason`, `scontrol show job -o`
 * (all a cluster without slurmdbd has) and `squeue -h -o %T|%r`.
 */
const STATES: Readonly<Record<string, { state: JobState; reason?: string }>> = {
  PENDING: { state: 'pending' },
  CONFIGURING: { state: 'pending', reason: 'nodes are being configured' },
  REQUEUED: { state: 'pending', reason: 'requeued' },
  REQUEUE_HOLD: { state: 'pending', reason: 'requeued and held' },
  REQUEUE_FED: { state: 'pending', reason: 'requeued' },
  SUSPENDED: { state: 'pending', reason: 'suspended by Slurm' },
  STOPPED: { state: 'pending', reason: 'stopped by Slurm' },
  RUNNING: { state: 'running' },
  COMPLETING: { state: 'running' },
  SIGNALING: { state: 'running' },
  STAGE_OUT: { state: 'running' },
  RESIZING: { state: 'running' },
  COMPLETED: { state: 'done' },
  FAILED: { state: 'failed' },
  TIMEOUT: { state: 'failed', reason: 'hit its time limit (TIMEOUT)' },
  DEADLINE: { state: 'failed', reason: 'missed its deadline (DEADLINE)' },
  OUT_OF_MEMORY: { state: 'failed', reason: 'ran out of memory (OUT_OF_MEMORY)' },
  NODE_FAIL: { state: 'failed', reason: 'its node failed (NODE_FAIL)' },
  BOOT_FAIL: { state: 'failed', reason: 'its node failed to boot (BOOT_FAIL)' },
  PREEMPTED: { state: 'failed', reason: 'preempted by another job (PREEMPTED)' },
  REVOKED: { state: 'failed', reason: 'revoked by a federated cluster (REVOKED)' },
  SPECIAL_EXIT: { state: 'failed', reason: 'held in SPECIAL_EXIT' },
  CANCELLED: { state: 'cancelled', reason: 'cancelled (scancel)' },
};

/** `3:0` -> 3 and 0; Slurm writes exit code and signal. */
export function parseExitCode(text: string | undefined): { code: number; signal: number } | undefined {
  const m = /^(\d+):(\d+)$/.exec(text?.trim() ?? '');
  return m ? { code: Number(m[1]), signal: Number(m[2]) } : undefined;
}

function meaningfulReason(reason: string | undefined): string | undefined {
  const r = reason?.trim();
  return !r || r === 'None' || r === '(null)' ? undefined : r;
}

/** One Slurm state (`CANCELLED by 0` and `FAILED+` are tolerated) to a job status. */
export function mapSlurmState(rawState: string, rawReason?: string, rawExitCode?: string): JobStatus {
  const native = rawState.trim().split(/[\s+]/)[0]?.toUpperCase() ?? '';
  const known = STATES[native];
  const slurmReason = meaningfulReason(rawReason);
  const exit = parseExitCode(rawExitCode);
  if (!known) return { state: 'failed', native, reason: `unknown Slurm state ${JSON.stringify(rawState.trim())}` };
  const status: { -readonly [K in keyof JobStatus]: JobStatus[K] } = { state: known.state, native };
  if (exit && (known.state === 'done' || known.state === 'failed' || known.state === 'cancelled')) status.exitCode = exit.code;
  if (known.state === 'pending') {
    const why = [known.reason, slurmReason].filter(Boolean).join(': ');
    if (why) status.reason = why;
  } else if (native === 'FAILED') {
    if (exit && exit.signal > 0) status.reason = `killed by signal ${exit.signal}`;
    else if (exit) status.reason = `exited with code ${exit.code}`;
    else if (slurmReason) status.reason = slurmReason;
  } else if (known.reason) {
    status.reason = known.reason;
  }
  return status;
}

/**
 * A Slurm timestamp (`2024-05-01T12:00:00`, the controller's local time, no zone) as epoch
 * ms; `Unknown`, `None`, `N/A` and anything else are no time.
 */
export function parseSlurmTime(text: string | undefined): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12) return undefined;
  const t = new Date(y, mo - 1, d, h, mi, s).getTime();
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Adds the job's own start and end. Slurm fills Start in with its guess while a job waits and
 * End with the time limit while it runs, so each counts only once it has happened.
 */
function withRunTimes(status: JobStatus, start: string | undefined, end: string | undefined): JobStatus {
  if (status.state === 'pending') return status;
  const startedAt = parseSlurmTime(start);
  const endedAt = isFinished(status.state) ? parseSlurmTime(end) : undefined;
  return { ...status, ...(startedAt !== undefined ? { startedAt } : {}), ...(endedAt !== undefined ? { endedAt } : {}) };
}

/** The allocation's row from `sacct -j ID -P -n --format=JobID,State,ExitCode,Reason,Start,End`. */
export function parseSacct(text: string, jobId: string): JobStatus | undefined {
  for (const line of text.split('\n')) {
    const [id, state, exitCode, reason, start, end] = line.trim().split('|');
    if (id === jobId && state) return withRunTimes(mapSlurmState(state, reason, exitCode), start, end);
  }
  return undefined;
}

/** The output of `scontrol show job ID -o` (one line of Key=Value pairs). */
export function parseScontrolJob(text: string): JobStatus | undefined {
  const field = (key: string): string | undefined => new RegExp(`(?:^|\\s)${key}=(\\S*)`).exec(text)?.[1];
  const state = field('JobState');
  if (!state) return undefined;
  return withRunTimes(mapSlurmState(state, field('Reason'), field('ExitCode')), field('StartTime'), field('EndTime'));
}

/** The output of `squeue -h -j ID -o '%T|%r'`; empty when Slurm has forgotten the job. */
export function parseSqueue(text: string): JobStatus | undefined {
  const first = text.split('\n').find((l) => l.trim() !== '');
  if (!first) return undefined;
  const [state, reason] = first.trim().split('|');
  return state ? mapSlurmState(state, reason) : undefined;
}

/** `sbatch --parsable` prints `ID` or `ID;cluster`. */
export function parseSbatchOutput(text: string): string {
  const line = text.trim().split('\n').at(-1)?.trim() ?? '';
  const id = line.split(';')[0] ?? '';
  if (!/^\d+(_\d+)?$/.test(id)) throw new Error(`sbatch printed no job id: ${JSON.stringify(text.trim().slice(0, 200))}`);
  return id;
}
