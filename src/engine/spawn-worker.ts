import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A worker's heap holds little that lives long (prompts and replies are stored, then dropped),
 * so a small young generation keeps its resident size near its working set instead of letting
 * garbage pile up between scavenges; measured by `npm run bench` (worker peak RSS).
 */
export const WORKER_NODE_FLAGS = ['--max-semi-space-size=2'];

/**
 * Starts a stage worker as its own detached process (its own session, stdio to its log file),
 * so it outlives the dashboard: quitting detaches, it does not stop work.
 */
export function spawnWorker(entry: string, args: readonly string[], logFile: string, env: NodeJS.ProcessEnv = process.env): number {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  try {
    const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, '--import', 'tsx', path.join(REPO_ROOT, entry), ...args], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', out, out],
      env,
    });
    if (child.pid === undefined) throw new Error(`could not start worker ${entry}`);
    child.unref();
    return child.pid;
  } finally {
    fs.closeSync(out);
  }
}
