import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { CodeRunner, RunOutcome } from '../../core/grade/types.js';
import { detectNetIsolation } from './net-isolation.js';

export interface SandboxLimits {
  readonly timeoutMs?: number;
  /** Address-space limit (RLIMIT_AS) in MiB. */
  readonly memoryMb?: number;
  /** Processes the program may start (RLIMIT_NPROC, counted above what the user already runs). */
  readonly maxProcesses?: number;
  /** stdout and stderr are each kept up to this many bytes. */
  readonly maxOutputBytes?: number;
  readonly python?: string;
}

export interface SandboxRun extends RunOutcome {
  /** The temporary folder the program ran in (already removed). */
  readonly workDir: string;
  readonly networkIsolated: boolean;
}

const DEFAULTS = { timeoutMs: 10_000, memoryMb: 2048, maxProcesses: 64, maxOutputBytes: 64 * 1024, python: 'python3' };

/**
 * Sets the limits, then runs program.py as __main__. RLIMIT_NPROC counts every process of the
 * user, so the cap is what the user runs now plus the allowance (root is exempt from it; the
 * process-group kill on timeout still applies).
 */
const PREAMBLE = `
import os, resource, runpy, sys
def _limit(which, value):
    try:
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):
        pass
_limit(resource.RLIMIT_AS, int(sys.argv[1]) * 1024 * 1024)
_limit(resource.RLIMIT_CORE, 0)
_limit(resource.RLIMIT_FSIZE, 256 * 1024 * 1024)
def _processes(uid):
    n = 0
    for p in os.listdir('/proc'):
        try:
            n += p.isdigit() and os.stat('/proc/' + p).st_uid == uid
        except OSError:
            pass
    return n
try:
    _limit(resource.RLIMIT_NPROC, _processes(os.getuid()) + int(sys.argv[2]))
except OSError:
    pass
sys.argv = ['program.py']
del os, resource, _limit, _processes
runpy.run_path('program.py', run_name='__main__')
`;

function capped(limit: number): { push: (b: Buffer) => void; text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  let dropped = false;
  return {
    push(b) {
      const room = limit - size;
      if (b.length > room) dropped = true;
      if (room <= 0) return;
      const part = b.length > room ? b.subarray(0, room) : b;
      chunks.push(part);
      size += part.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8') + (dropped ? '\n[output truncated]' : ''),
  };
}

async function removeDir(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } catch {
    // The program may have taken away its own permissions on a subfolder: give them back.
    const restore = async (d: string): Promise<void> => {
      await chmod(d, 0o700).catch(() => undefined);
      for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) if (e.isDirectory()) await restore(join(d, e.name));
    };
    await restore(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

const resolved = new Map<string, Promise<string>>();

/**
 * The interpreter's real path. Version-manager shims (pyenv's `python3` is a shell script)
 * cost a second per start on a busy machine, ten times the interpreter itself.
 */
export function resolvePython(python: string): Promise<string> {
  let p = resolved.get(python);
  if (!p) {
    p = new Promise<string>((resolve) => {
      let out = '';
      const child = spawn(python, ['-c', 'import sys; print(sys.executable)'], { stdio: ['ignore', 'pipe', 'ignore'] });
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', () => resolve(python));
      child.on('close', (code) => resolve(code === 0 && out.trim() !== '' ? out.trim() : python));
    });
    resolved.set(python, p);
  }
  return p;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Runs one Python program in a fresh temporary folder with limits, no network where possible. */
export async function runPythonSandboxed(program: string, limits: SandboxLimits = {}): Promise<SandboxRun> {
  const o = { ...DEFAULTS, ...limits };
  const net = await detectNetIsolation();
  const python = await resolvePython(o.python);
  const workDir = await mkdtemp(join(tmpdir(), 'agora-sbx-'));
  const started = Date.now();
  try {
    await writeFile(join(workDir, 'program.py'), program);
    const argv = [...net.prefix, python, '-I', '-c', PREAMBLE, String(o.memoryMb), String(o.maxProcesses)];
    const out = capped(o.maxOutputBytes);
    const err = capped(o.maxOutputBytes);
    const result = await new Promise<{ code: number | null; signal: string | null; timedOut: boolean; spawnError?: string }>((resolve) => {
      const child = spawn(argv[0] ?? python, argv.slice(1), {
        cwd: workDir,
        // Its own process group, so a timeout kills whatever it started too.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workDir, TMPDIR: workDir, LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' },
      });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
      }, o.timeoutMs);
      child.stdout.on('data', out.push);
      child.stderr.on('data', err.push);
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve({ code: null, signal: null, timedOut: false, spawnError: e.message });
      });
      child.on('exit', () => killGroup(child.pid));
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, timedOut });
      });
    });
    const stderr = result.spawnError ?? err.text();
    const status: RunOutcome['status'] = result.spawnError
      ? 'error'
      : result.timedOut
        ? 'timeout'
        : result.code === 0
          ? 'passed'
          : /\bMemoryError\b/.test(stderr)
            ? 'memory'
            : 'failed';
    return {
      status,
      exitCode: result.code,
      signal: result.signal,
      durationMs: Date.now() - started,
      stdout: out.text(),
      stderr,
      workDir,
      networkIsolated: net.isolated,
    };
  } finally {
    await removeDir(workDir);
  }
}

/** A code runner for the graders: at most `concurrency` sandboxes at once (default: the cores). */
export function createSandboxRunner(limits: SandboxLimits & { readonly concurrency?: number } = {}): CodeRunner {
  const gate = pLimit(limits.concurrency ?? availableParallelism());
  return (program) => gate(() => runPythonSandboxed(program, limits));
}
