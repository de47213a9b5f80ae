import { setMaxListeners } from 'node:events';
import { projectRoot } from '../adapters/datasets/paths.js';
import { storeFile } from '../core/run-layout.js';
import { applyCellEvent, getCell, type CellRow } from '../store/cell-repo.js';
import { endJob, getJob, heartbeat, type JobRow } from '../store/job-repo.js';
import { openStore, writeTransaction, type Db } from '../store/open-store.js';
import { readRunConfig } from '../store/run-repo.js';
import type { SweepConfig } from '../config/schema.js';
import { parseArgs } from 'node:util';

/** The package's folder (prompts/, seeds/, python/), found from package.json: the same from src/, dist/ or a bundled chunk. */
export const REPO_ROOT = projectRoot();

export interface WorkerContext {
  readonly db: Db;
  readonly runDir: string;
  readonly job: JobRow;
  readonly cell: CellRow;
  readonly config: SweepConfig;
  readonly signal: AbortSignal;
  /** The latest concurrency the conductor allots to this job. */
  onConcurrency(listener: (n: number) => void): void;
  log(line: string): void;
}

export type WorkerResult =
  | { readonly kind: 'done' }
  | { readonly kind: 'budget-exhausted'; readonly scope: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly error: string };

/** The arguments the engine starts a worker with (engine/worker-entry.ts). */
export function workerArgs(argv: readonly string[]): { runDir?: string; jobId: number; baseDir?: string } {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: { 'run-dir': { type: 'string' }, job: { type: 'string' }, 'base-dir': { type: 'string' } },
  });
  return { runDir: values['run-dir'], jobId: Number(values.job), baseDir: values['base-dir'] };
}
/**
 * `--base-dir` (where the config's relative paths resolve), else this process's folder; a
 * malformed command line is runWorker's to report (usage, exit 2), so it is not thrown here.
 */
export function workerBaseDir(argv: readonly string[]): string {
  try {
    return workerArgs(argv).baseDir ?? process.cwd();
  } catch {
    return process.cwd();
  }
}

/**
 * The frame every stage worker runs in: reads its job from the store, beats a heartbeat
 * (which is also how it hears of cancellation and of its concurrency share), turns SIGTERM
 * into an abort, and records the outcome on the job and the cell exactly once.
 */
export async function runWorker(argv: readonly string[], body: (ctx: WorkerContext) => Promise<WorkerResult>): Promise<void> {
  let args: ReturnType<typeof workerArgs> | undefined;
  try {
    args = workerArgs(argv);
  } catch {
    // reported below
  }
  const runDir = args?.runDir;
  const jobId = args?.jobId ?? NaN;
  if (!runDir || !Number.isInteger(jobId)) {
    process.stderr.write('usage: worker --run-dir DIR --job ID [--base-dir DIR]\n');
    process.exit(2);
  }
  const db = openStore(storeFile(runDir));
  const job = getJob(db, jobId);
  const cell = getCell(db, job.cell_id);
  const config = readRunConfig(db);
  const abort = new AbortController();
  // Every request in flight listens on this one signal: dozens at once is normal, not a leak.
  setMaxListeners(0, abort.signal);
  const listeners: Array<(n: number) => void> = [];
  const stamp = () => new Date().toISOString();
  const log = (line: string) => process.stdout.write(`${stamp()} ${line}\n`);
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => abort.abort());
  let lastConcurrency = job.concurrency;
  const beat = setInterval(() => {
    try {
      const j = heartbeat(db, jobId);
      if (j.cancel_requested) abort.abort();
      if (j.concurrency !== null && j.concurrency !== lastConcurrency) {
        lastConcurrency = j.concurrency;
        listeners.forEach((l) => l(j.concurrency!));
      }
    } catch (e) {
      log(`heartbeat failed: ${(e as Error).message}`);
    }
  }, 1000);
  log(`job ${jobId} (${job.stage}, attempt ${job.attempt}) for ${cell.generator} ${cell.setting} started, pid ${process.pid}`);
  let result: WorkerResult;
  try {
    result = await body({ db, runDir, job, cell, config, signal: abort.signal, onConcurrency: (l) => listeners.push(l), log });
  } catch (e) {
    result = { kind: 'failed', error: (e as Error).message };
  }
  clearInterval(beat);
  finish(db, job, result);
  const peakMb = (process.resourceUsage().maxRSS / 1024).toFixed(1);
  log(`job ${jobId} ended: ${result.kind}${'error' in result ? `: ${result.error}` : ''}; peak RSS ${peakMb} MB`);
  db.close();
  process.exit(0);
}

function finish(db: Db, job: JobRow, r: WorkerResult): void {
  writeTransaction(db, () => {
    const jobState = r.kind === 'done' ? 'done' : r.kind;
    if (!endJob(db, job.id, jobState, 'error' in r ? r.error : undefined)) return;
    const expect = { stage: job.stage, state: 'running' as const };
    if (r.kind === 'done') applyCellEvent(db, job.cell_id, { type: 'finish' }, expect);
    else if (r.kind === 'failed') applyCellEvent(db, job.cell_id, { type: 'fail', error: r.error }, expect);
    else if (r.kind === 'cancelled') applyCellEvent(db, job.cell_id, { type: 'cancel' }, expect);
    else applyCellEvent(db, job.cell_id, { type: 'budget-exhausted' }, expect);
  });
}
