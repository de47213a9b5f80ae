import { execFile } from 'node:child_process';

export interface CommandResult {
  /** null when the binary could not be run at all (see `error`). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: string;
}

/** Runs a binary without a shell and never throws: callers decide what a failure means. */
export function runCommand(file: string, args: readonly string[], timeoutMs = 30_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve({ code: 0, stdout, stderr });
      const e = err as NodeJS.ErrnoException & { code?: string | number; killed?: boolean };
      if (typeof e.code === 'number') return resolve({ code: e.code, stdout, stderr });
      const why = e.code === 'ENOENT' ? `${file} not found` : e.killed ? `${file} timed out after ${timeoutMs} ms` : e.message;
      resolve({ code: null, stdout, stderr, error: why });
    });
  });
}

/** `stderr`, else the start failure, trimmed to one readable line. */
export function commandError(result: CommandResult): string {
  const text = (result.stderr.trim() || result.error || result.stdout.trim() || `exit ${result.code}`).split('\n').slice(-3).join(' | ');
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}
