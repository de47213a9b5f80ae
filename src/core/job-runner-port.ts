/**
 * The port every background-job runner implements (local process, Slurm). Train and
 * evaluate stages hand a shell command to a runner and follow it by its handle; the handle is
 * plain JSON so the store can keep it and a reopened dashboard can re-attach to the job (the
 * store parses it back: store/job-handle-json.ts).
 */

export const RUNNER_KINDS = ['local', 'slurm'] as const;
export type RunnerKind = (typeof RUNNER_KINDS)[number];

export interface JobSpec {
  /** Short name for people (Slurm job name, log headers). */
  readonly name: string;
  /** A shell command line (run by /bin/sh -c); quote what you substitute into it. */
  readonly command: string;
  readonly cwd: string;
  /** Added to the runner's own environment. */
  readonly env: Readonly<Record<string, string>>;
  /** stdout and stderr of the job, appended. Its folder must exist. */
  readonly logFile: string;
  /** Where the job writes its progress (JSON lines); read by the stage, not the runner. */
  readonly progressFile: string;
  readonly gpus: number;
  readonly timeLimitMinutes?: number;
}

export interface JobHandle {
  readonly runner: RunnerKind;
  /** A process-group id (local) or a Slurm job id. */
  readonly id: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly logFile: string;
  readonly progressFile: string;
  /** Written with the command's exit status when it ends, so any process can read it later. */
  readonly exitFile: string;
}

/**
 * `done` means the command exited 0: whether the work succeeded is the stage's call (a
 * trainer must also have written its done line, see core/train/train-outcome.ts).
 */
export type JobState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobStatus {
  readonly state: JobState;
  readonly exitCode?: number;
  /** Why it waits, or why it ended other than by exiting 0. */
  readonly reason?: string;
  /** The runner's own word for the state (a Slurm state such as OUT_OF_MEMORY). */
  readonly native?: string;
  /**
   * When the job really started and ended (epoch ms), by the runner's own record: Slurm's
   * Start/End, the local wrapper's files. Not the submission, not when anyone looked: GPU
   * time is billed from these (core/train/gpu-accounting.ts). Absent when not known.
   */
  readonly startedAt?: number;
  readonly endedAt?: number;
}

export interface JobRunnerPort {
  readonly kind: RunnerKind;
  start(spec: JobSpec): Promise<JobHandle>;
  poll(handle: JobHandle): Promise<JobStatus>;
  /** Stops the job; resolves once it has been told to stop (local: once it is gone). */
  cancel(handle: JobHandle): Promise<void>;
  /** The last `lines` lines of the job's log, oldest first. */
  logs(handle: JobHandle, lines: number): Promise<string[]>;
}

export function isFinished(state: JobState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}
