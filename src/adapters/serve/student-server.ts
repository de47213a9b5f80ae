import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { expandCommand } from '../../core/train/command-template.js';
import { tailLines } from '../runners/job-files.js';
import { groupAlive, killGroup } from '../runners/process-group.js';
import { freePort } from './free-port.js';
import { endpointBaseUrl, ServerNotReadyError, waitForModels } from './readiness.js';
import { pause } from '../pause.js';

/** A server agora started: its process group (for a later stop, even from another process) and log. */
export interface ServerHandle {
  readonly pgid: number;
  readonly port: number;
  readonly logFile: string;
}

/** Where a student answers: a server agora started, or an endpoint it was given. */
export interface StudentEndpoint {
  readonly baseURL: string;
  /** What GET /v1/models listed. */
  readonly models: readonly string[];
  readonly server?: ServerHandle;
  /** Stops a started server (TERM, then KILL after the grace period); a no-op for a given endpoint. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** The command template, with `{checkpoint}` and `{port}`. */
  readonly command: string;
  readonly checkpoint: string;
  readonly logFile: string;
  readonly readinessTimeoutMs: number;
  readonly signal?: AbortSignal;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly pollMs?: number;
  readonly killGraceMs?: number;
  /** Called as soon as the process exists, so a caller can record it for cleanup should it die itself. */
  readonly onStart?: (server: ServerHandle) => void;
}

/**
 * TERM to the whole group, KILL to what is left after `graceMs`; resolves once the group is
 * gone. `marker` (the port, which the command line carries) guards a group recorded long ago
 * against a recycled PID.
 */
export async function stopServerGroup(pgid: number, graceMs = 15_000, marker?: string): Promise<void> {
  if (!(await groupAlive(pgid, marker))) return;
  killGroup(pgid, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    if (!(await groupAlive(pgid))) return;
    await pause(100);
  }
  killGroup(pgid, 'SIGKILL');
  for (let i = 0; i < 50 && (await groupAlive(pgid)); i++) await pause(100);
}

async function logTail(file: string): Promise<string> {
  const lines = (await tailLines(file, 15)).filter((l) => l.trim() !== '');
  return lines.length > 0 ? `; last lines of ${file}:\n  ${lines.join('\n  ')}` : `; ${file} is empty`;
}

/**
 * Starts a student server from the command template on a free port, in its own process group
 * with its output in `logFile`, and waits until it lists its models. On failure (it exits,
 * the wait times out, the signal aborts) the group is stopped and the error carries the log's tail.
 */
export async function serveStudent(opts: ServeOptions): Promise<StudentEndpoint> {
  const port = await freePort();
  const command = expandCommand(opts.command, { checkpoint: opts.checkpoint, port });
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  appendFileSync(opts.logFile, `# ${new Date().toISOString()} agora starts: ${command}\n`);
  const fd = openSync(opts.logFile, 'a');
  let exited: string | undefined;
  let pid: number | undefined;
  try {
    const child = spawn('/bin/sh', ['-c', command], { cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: ['ignore', fd, fd] });
    child.on('exit', (code, signal) => (exited = signal ? `the server exited on ${signal}` : `the server exited with code ${String(code)}`));
    child.on('error', (e) => (exited = `the server could not start: ${e.message}`));
    pid = child.pid;
    child.unref();
  } finally {
    closeSync(fd);
  }
  if (pid === undefined) throw new ServerNotReadyError(`could not start \`${command}\`${await logTail(opts.logFile)}`);
  const server: ServerHandle = { pgid: pid, port, logFile: opts.logFile };
  opts.onStart?.(server);
  const grace = opts.killGraceMs ?? 15_000;
  const baseURL = `http://127.0.0.1:${port}/v1`;
  try {
    const models = await waitForModels(baseURL, {
      timeoutMs: opts.readinessTimeoutMs,
      ...(opts.pollMs !== undefined && { pollMs: opts.pollMs }),
      ...(opts.signal && { signal: opts.signal }),
      gone: () => exited,
    });
    return { baseURL, models, server, stop: () => stopServerGroup(pid, grace) };
  } catch (e) {
    await stopServerGroup(pid, grace);
    throw new ServerNotReadyError(`student server \`${command}\`: ${(e as Error).message}${await logTail(opts.logFile)}`);
  }
}

/** A server that is already running: checked for readiness, never stopped by agora. */
export async function connectEndpoint(
  url: string,
  opts: { readonly readinessTimeoutMs: number; readonly signal?: AbortSignal; readonly pollMs?: number },
): Promise<StudentEndpoint> {
  const baseURL = endpointBaseUrl(url);
  const models = await waitForModels(baseURL, {
    timeoutMs: opts.readinessTimeoutMs,
    ...(opts.pollMs !== undefined && { pollMs: opts.pollMs }),
    ...(opts.signal && { signal: opts.signal }),
  });
  return { baseURL, models, stop: async () => {} };
}
