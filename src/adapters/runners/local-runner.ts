import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import type { JobHandle, JobRunnerPort, JobSpec, JobStatus } from '../../core/job-runner-port.js';
import { shellEpochMs, startedFileFor } from '../../core/train/job-clock.js';
import { cancelMarkerFor, describeExit, exitFileFor, fileExists, readExitFile, readJobTimes, tailLines, withJobTimes } from './job-files.js';
import { groupAlive, killGroup } from './process-group.js';
import { pause } from '../pause.js';

/**
 * The wrapper every local job runs under: it records the command's exit status in a file
 * (renamed into place) so a process that re-attaches later, with only the handle, learns how
 * the job ended. It traps TERM/INT/HUP (a handler, so the command itself still gets the
 * default action) to outlive a signal to the group long enough to write that file.
 * $1 is the command, $2 the exit file (`$2.started`: see startedFileFor).
 */
const WRAPPER = [
  'trap : TERM INT HUP',
  // The job's own clock for GPU billing (core/train/job-clock.ts): start now, end with the code.
  shellEpochMs('t'),
  `printf '%s\\n' "$t" > "$2.started"`,
  '/bin/sh -c "$1"',
  'code=$?',
  shellEpochMs('t'),
  `printf '%s\\n%s\\n' "$code" "$t" > "$2.tmp" && mv -f "$2.tmp" "$2"`,
  'exit "$code"',
].join('\n');

export interface LocalRunnerOptions {
  /** How long a cancelled job may take to exit after SIGTERM before it gets SIGKILL. */
  readonly killGraceMs?: number;
  /** How often cancel checks whether the group is gone. */
  readonly pollMs?: number;
}

function pgidOf(handle: JobHandle): number {
  const pgid = Number(handle.id);
  if (handle.runner !== 'local' || !Number.isInteger(pgid) || pgid <= 1) throw new Error(`not a local job handle: ${JSON.stringify(handle)}`);
  return pgid;
}

/**
 * Runs jobs as detached process groups on this machine. Jobs outlive the process that
 * started them (a closed dashboard leaves training running); every method works from the
 * handle alone.
 */
export class LocalRunner implements JobRunnerPort {
  readonly kind = 'local' as const;
  private readonly killGraceMs: number;
  private readonly pollMs: number;

  constructor(options: LocalRunnerOptions = {}) {
    this.killGraceMs = options.killGraceMs ?? 10_000;
    this.pollMs = options.pollMs ?? 100;
  }

  async start(spec: JobSpec): Promise<JobHandle> {
    const exitFile = exitFileFor(spec.logFile);
    // A job restarted with the same log must not inherit the previous run's ending.
    await rm(exitFile, { force: true });
    await rm(cancelMarkerFor(exitFile), { force: true });
    await rm(startedFileFor(exitFile), { force: true });
    const fd = openSync(spec.logFile, 'a');
    try {
      const child = spawn('/bin/sh', ['-c', WRAPPER, 'agora-job', spec.command, exitFile], {
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env },
        detached: true,
        stdio: ['ignore', fd, fd],
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (e) => reject(new Error(`job ${spec.name}: cannot start /bin/sh in ${spec.cwd}: ${e.message}`)));
      });
      child.unref();
      if (child.pid === undefined) throw new Error(`job ${spec.name}: started without a PID`);
      return { runner: 'local', id: String(child.pid), startedAt: Date.now(), logFile: spec.logFile, progressFile: spec.progressFile, exitFile };
    } finally {
      closeSync(fd);
    }
  }

  async poll(handle: JobHandle): Promise<JobStatus> {
    const status = await this.state(handle);
    return withJobTimes(status, await readJobTimes(handle.exitFile));
  }

  private async state(handle: JobHandle): Promise<JobStatus> {
    const pgid = pgidOf(handle);
    const ended = await this.endedStatus(handle);
    if (ended) return ended;
    if (await groupAlive(pgid, handle.exitFile)) return { state: 'running' };
    // It may have finished between the two looks.
    const late = await this.endedStatus(handle);
    if (late) return late;
    if (await fileExists(cancelMarkerFor(handle.exitFile))) return { state: 'cancelled', reason: 'cancelled' };
    return {
      state: 'failed',
      reason: 'orphaned: the job process is gone and left no exit status (killed with its parent, or the machine restarted)',
    };
  }

  private async endedStatus(handle: JobHandle): Promise<JobStatus | undefined> {
    const code = await readExitFile(handle.exitFile);
    if (code === undefined) return undefined;
    if (code === 0) return { state: 'done', exitCode: 0 };
    if (await fileExists(cancelMarkerFor(handle.exitFile))) return { state: 'cancelled', exitCode: code, reason: 'cancelled' };
    return { state: 'failed', exitCode: code, reason: describeExit(code) };
  }

  /** SIGTERM to the whole group, SIGKILL after the grace period; resolves when it is gone. */
  async cancel(handle: JobHandle): Promise<void> {
    const pgid = pgidOf(handle);
    if (!(await groupAlive(pgid, handle.exitFile))) return;
    await writeFile(cancelMarkerFor(handle.exitFile), `${new Date().toISOString()}\n`);
    if (!killGroup(pgid, 'SIGTERM')) return;
    if (await this.waitGone(pgid, handle.exitFile, this.killGraceMs)) return;
    killGroup(pgid, 'SIGKILL');
    if (!(await this.waitGone(pgid, handle.exitFile, 10_000))) throw new Error(`job ${handle.id}: still running after SIGKILL`);
  }

  private async waitGone(pgid: number, marker: string, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (!(await groupAlive(pgid, marker))) return true;
      if (Date.now() >= deadline) return false;
      await pause(this.pollMs);
    }
  }

  logs(handle: JobHandle, lines: number): Promise<string[]> {
    return tailLines(handle.logFile, lines);
  }
}
