import { open, readFile, stat } from 'node:fs/promises';
import { parseEpochMs, startedFileFor } from '../../core/train/job-clock.js';
import type { JobStatus } from '../../core/job-runner-port.js';

/** Files a job leaves next to its log; any process can read them after the starter is gone. */
export function exitFileFor(logFile: string): string {
  return `${logFile}.exit`;
}

export function cancelMarkerFor(exitFile: string): string {
  return `${exitFile}.cancelled`;
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The exit status the job's wrapper recorded, undefined when there is none yet. The wrapper
 * renames a complete file into place, so a present file is never half-written; anything but
 * a number in it is reported rather than guessed at.
 */
export async function readExitFile(path: string): Promise<number | undefined> {
  return (await readExitRecord(path))?.code;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The exit file's code, and the end time on its second line (absent in older files). */
export async function readExitRecord(path: string): Promise<{ code: number; endedAt?: number } | undefined> {
  const text = await readOptional(path);
  if (text === undefined) return undefined;
  const [first = '', second] = text.trim().split('\n');
  const code = Number(first.trim());
  if (first.trim() === '' || !Number.isInteger(code)) throw new Error(`${path}: expected an exit code, found ${JSON.stringify(text.slice(0, 40))}`);
  const endedAt = parseEpochMs(second);
  return endedAt !== undefined ? { code, endedAt } : { code };
}

/** The job's own start and end, from the files its wrapper or batch script wrote. */
export async function readJobTimes(exitFile: string): Promise<{ startedAt?: number; endedAt?: number }> {
  const startedAt = parseEpochMs(await readOptional(startedFileFor(exitFile)));
  const endedAt = (await readExitRecord(exitFile).catch(() => undefined))?.endedAt;
  return { ...(startedAt !== undefined ? { startedAt } : {}), ...(endedAt !== undefined ? { endedAt } : {}) };
}

/** `status` with the times a runner knows and the status does not already carry. */
export function withJobTimes(status: JobStatus, times: { startedAt?: number; endedAt?: number }): JobStatus {
  if (status.state === 'pending') return status;
  const startedAt = status.startedAt ?? times.startedAt;
  const endedAt = status.endedAt ?? (status.state === 'running' ? undefined : times.endedAt);
  return { ...status, ...(startedAt !== undefined ? { startedAt } : {}), ...(endedAt !== undefined ? { endedAt } : {}) };
}

/** The last `lines` lines of a text file (oldest first), reading only its tail. */
export async function tailLines(path: string, lines: number): Promise<string[]> {
  if (lines <= 0) return [];
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  try {
    const size = (await fh.stat()).size;
    const chunk = 64 * 1024;
    let start = size;
    let buf = Buffer.alloc(0);
    // Read backwards until there are more newlines than lines wanted (or the file ends).
    while (start > 0) {
      const from = Math.max(0, start - chunk);
      const part = Buffer.alloc(start - from);
      await fh.read(part, 0, part.length, from);
      buf = Buffer.concat([part, buf]);
      start = from;
      let newlines = 0;
      for (const b of buf) if (b === 0x0a) newlines += 1;
      if (newlines > lines) break;
    }
    const text = buf.toString('utf8');
    if (text === '') return [];
    let all = text.split(/\r?\n/);
    if (all.at(-1) === '') all.pop();
    // When we stopped reading mid-file the first line is cut: drop it.
    if (start > 0) all = all.slice(1);
    return all.slice(-lines);
  } finally {
    await fh.close();
  }
}

export const SIGNAL_NAMES: Readonly<Record<number, string>> = { 1: 'SIGHUP', 2: 'SIGINT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };

/** `exited with code 3` / `killed by SIGKILL (exit 137)`: shells report death by signal n as 128+n. */
export function describeExit(code: number): string {
  if (code > 128 && code < 160) {
    const sig = code - 128;
    return `killed by ${SIGNAL_NAMES[sig] ?? `signal ${sig}`} (exit ${code})`;
  }
  return `exited with code ${code}`;
}
