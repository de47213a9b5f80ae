import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../adapters/datasets/paths.js';
import { workerEntry, type WorkerName } from './worker-entry.js';

/**
 * A worker's heap holds little that lives long (prompts and replies are stored, then dropped),
 * but V8 grows the heap lazily when nothing limits it: capping the young and old generations
 * keeps a worker's resident size near its working set (measured by `npm run bench`: worker
 * peak RSS). AGORA_WORKER_HEAP_MB raises the cap for very large seed sets.
 */
export function workerNodeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const heapMb = Number(env.AGORA_WORKER_HEAP_MB ?? 128);
  return ['--max-semi-space-size=2', `--max-old-space-size=${Number.isFinite(heapMb) && heapMb > 0 ? heapMb : 128}`];
}

/**
 * Starts a stage worker as its own detached process (its own session, stdio to its log file),
 * so it outlives the dashboard: quitting detaches, it does not stop work.
 */
export function spawnWorker(name: WorkerName, args: readonly string[], logFile: string, env: NodeJS.ProcessEnv = process.env): number {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  try {
    const entry = workerEntry(name);
    const child = spawn(process.execPath, [...workerNodeFlags(env), ...entry.nodeArgs, entry.file, ...args], {
      cwd: projectRoot(),
      detached: true,
      stdio: ['ignore', out, out],
      env,
    });
    if (child.pid === undefined) throw new Error(`could not start worker ${entry.file}`);
    child.unref();
    return child.pid;
  } finally {
    fs.closeSync(out);
  }
}
