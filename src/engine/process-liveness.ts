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
