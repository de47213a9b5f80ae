import { rm } from 'node:fs/promises';
import type { SlurmConfig } from '../../config/train-schema.js';
import type { JobHandle, JobRunnerPort, JobSpec, JobStatus } from '../../core/job-runner-port.js';
import { parseSacct, parseSbatchOutput, parseScontrolJob } from '../../core/train/slurm-state.js';
import { renderSbatchScript, sbatchArgs } from '../../core/train/slurm-script.js';
import { startedFileFor } from '../../core/train/job-clock.js';
import { cancelMarkerFor, describeExit, exitFileFor, fileExists, readExitFile, readJobTimes, tailLines, withJobTimes } from './job-files.js';
import { writeFileAtomic } from '../write-atomic.js';
import { commandError, runCommand } from './run-command.js';

export interface SlurmBinaries {
  readonly sbatch: string;
  readonly scontrol: string;
  readonly sacct: string;
  readonly scancel: string;
}

export interface SlurmRunnerOptions {
  /** The `train.slurm` section. */
  readonly config?: SlurmConfig;
  /** Paths of the Slurm client binaries (tests and unusual installs). */
  readonly bin?: Partial<SlurmBinaries>;
}

const DEFAULT_BIN: SlurmBinaries = { sbatch: 'sbatch', scontrol: 'scontrol', sacct: 'sacct', scancel: 'scancel' };

function jobIdOf(handle: JobHandle): string {
  if (handle.runner !== 'slurm' || !/^\d+(_\d+)?$/.test(handle.id)) throw new Error(`not a Slurm job handle: ${JSON.stringify(handle)}`);
  return handle.id;
}

/**
 * Submits jobs with sbatch and follows them. State comes from the controller first
 * (`scontrol show job`, which knows a job until MinJobAge after it ends), then from
 * accounting (`sacct`, absent on clusters without slurmdbd), then from the exit file the
 * batch script writes on the shared file system.
 */
export class SlurmRunner implements JobRunnerPort {
  readonly kind = 'slurm' as const;
  private readonly bin: SlurmBinaries;
  private readonly config: SlurmConfig | undefined;
  private accountingOff = false;

  constructor(options: SlurmRunnerOptions = {}) {
    this.bin = { ...DEFAULT_BIN, ...options.bin };
    this.config = options.config;
  }

  async start(spec: JobSpec): Promise<JobHandle> {
    const exitFile = exitFileFor(spec.logFile);
    const script = `${spec.logFile}.sbatch`;
    await rm(exitFile, { force: true });
    await rm(cancelMarkerFor(exitFile), { force: true });
    await rm(startedFileFor(exitFile), { force: true });
    await writeFileAtomic(script, renderSbatchScript(spec, this.config, exitFile));
    const res = await runCommand(this.bin.sbatch, sbatchArgs(spec, script), 60_000);
    if (res.code !== 0) throw new Error(`job ${spec.name}: sbatch failed: ${commandError(res)}`);
    const id = parseSbatchOutput(res.stdout);
    return { runner: 'slurm', id, startedAt: Date.now(), logFile: spec.logFile, progressFile: spec.progressFile, exitFile };
  }

  /** The state, with the job's start and end: Slurm's own, else what the batch script wrote. */
  async poll(handle: JobHandle): Promise<JobStatus> {
    const status = await this.state(handle);
    if (status.state === 'pending' || (status.startedAt !== undefined && (status.endedAt !== undefined || status.state === 'running'))) return status;
    return withJobTimes(status, await readJobTimes(handle.exitFile));
  }

  private async state(handle: JobHandle): Promise<JobStatus> {
    const id = jobIdOf(handle);
    const fromController = await this.scontrol(id);
    if (fromController) return fromController;
    const fromAccounting = await this.sacct(id);
    if (fromAccounting) return fromAccounting;
    const code = await readExitFile(handle.exitFile);
    if (code === 0) return { state: 'done', exitCode: 0 };
    const cancelled = await fileExists(cancelMarkerFor(handle.exitFile));
    if (code !== undefined)
      return cancelled ? { state: 'cancelled', exitCode: code, reason: 'cancelled' } : { state: 'failed', exitCode: code, reason: describeExit(code) };
    if (cancelled) return { state: 'cancelled', reason: 'cancelled' };
    return {
      state: 'failed',
      reason: `Slurm no longer knows job ${id} and it left no exit status (cancelled, timed out or lost; sacct needs slurmdbd to say which)`,
    };
  }

  private async scontrol(id: string): Promise<JobStatus | undefined> {
    const res = await runCommand(this.bin.scontrol, ['show', 'job', id, '-o']);
    if (res.code === 0) return parseScontrolJob(res.stdout);
    if (/invalid job id/i.test(res.stderr)) return undefined;
    throw new Error(`scontrol show job ${id} failed: ${commandError(res)}`);
  }

  private async sacct(id: string): Promise<JobStatus | undefined> {
    if (this.accountingOff) return undefined;
    const res = await runCommand(this.bin.sacct, ['-j', id, '--format=JobID,State,ExitCode,Reason,Start,End', '-P', '-n']);
    if (res.code === 0) return parseSacct(res.stdout, id);
    // "Slurm accounting storage is disabled": remember, and stop asking.
    if (/accounting storage is disabled/i.test(res.stderr + res.stdout)) this.accountingOff = true;
    return undefined;
  }

  async cancel(handle: JobHandle): Promise<void> {
    const id = jobIdOf(handle);
    // Remembered for when the controller has forgotten the job and there is no accounting.
    await writeFileAtomic(cancelMarkerFor(handle.exitFile), `${new Date().toISOString()}\n`);
    const res = await runCommand(this.bin.scancel, [id]);
    // Cancelling a job that already ended is not an error.
    if (res.code !== 0 && !/invalid job id|already completed|job is completing/i.test(res.stderr)) {
      throw new Error(`scancel ${id} failed: ${commandError(res)}`);
    }
  }

  logs(handle: JobHandle, lines: number): Promise<string[]> {
    return tailLines(handle.logFile, lines);
  }
}
