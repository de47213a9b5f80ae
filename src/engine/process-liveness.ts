import fs from 'node:fs';

/** True when a process with this PID exists (EPERM means it exists but is not ours). */
export function isProcessAlive(pid: number | null | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A heartbeat older than this means the worker is gone or wedged, even if its PID was reused. */
export const HEARTBEAT_STALE_MS = 60_000;

/**
 * Whether a PID is still the worker of this job, before signalling it: a PID is recycled once
 * its process is gone, and a signal to the wrong process can kill anything. On Linux the
 * process's command line must name the job (`--job <id>`); elsewhere the job's heartbeat must
 * be fresh (a live worker beats every second).
 */
export function isOurWorker(pid: number | null | undefined, job: { id: number; heartbeat_at: number | null }, now = Date.now()): boolean {
  if (!pid || !isProcessAlive(pid)) return false;
  const cmdline = readCmdline(pid);
  if (cmdline !== undefined) {
    const args = cmdline.split('\0');
    const i = args.indexOf('--job');
    return i >= 0 && args[i + 1] === String(job.id) && args.some((a) => a.includes('workers'));
  }
  return job.heartbeat_at !== null && now - job.heartbeat_at < HEARTBEAT_STALE_MS;
}

function readCmdline(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
}
