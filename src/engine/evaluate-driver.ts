import path from 'node:path';
import { stopServerGroup } from '../adapters/serve/student-server.js';
import { resolveEvaluateConfig, type EvaluateConfig } from '../config/evaluate-schema.js';
import type { SweepConfig } from '../config/schema.js';
import { cellFiles } from '../core/run-layout.js';
import { DOMAIN_BENCHMARKS, parseSetting } from '../core/setting.js';
import type { CellRow } from '../store/cell-repo.js';
import { countRunningServerJobs, createJob, requestCancel, setJobPid, type JobRow } from '../store/job-repo.js';
import type { Db } from '../store/open-store.js';
import { parseEvaluateServer } from '../store/job-handle-json.js';
import { StoredJsonError } from '../store/stored-json.js';
import { missingBenchmarks } from '../adapters/benchmarks/benchmark-set.js';
import { judgeBlockedReason } from '../adapters/llm/judge-target.js';
import { cellStudentSource } from '../core/evaluate/student-source.js';
import { HEARTBEAT_STALE_MS, isOurWorker } from './process-liveness.js';
import { spawnWorker } from './spawn-worker.js';
import type { StageDriver } from './stage-driver.js';

export const EVALUATE_WORKER = 'evaluate';

export interface EvaluateDriverOptions {
  /** Where relative paths of the evaluate section resolve from: the config file's folder (default: this process's working folder). */
  readonly baseDir?: string;
}

/** Jobs that hold a student server: evaluations, and score jobs that evaluate baselines. */
export function runningServerJobs(db: Db): number {
  return countRunningServerJobs(db);
}

/** Starts the evaluation worker for a job of either stage. */
export function launchEvaluationWorker(db: Db, runDir: string, cell: CellRow, stage: 'evaluate' | 'score', baseDir: string, env: NodeJS.ProcessEnv): void {
  const job = createJob(db, cell.id, stage, 'process', null);
  const log = cellFiles(runDir, cell).stageLog(stage);
  const pid = spawnWorker(EVALUATE_WORKER, ['--run-dir', runDir, '--job', String(job.id), '--base-dir', baseDir], log, env);
  setJobPid(db, job.id, pid);
}

/**
 * The student server a job recorded, for stopping it when the job's own process cannot; a handle
 * that does not parse is said (the job ends with it), not taken for "no server".
 */
function serverOf(job: JobRow): { server?: { pgid: number; marker?: string }; problem?: string } {
  if (!job.handle_json) return {};
  try {
    const server = parseEvaluateServer(job.handle_json, job.id);
    return server ? { server: { pgid: server.pgid, ...(server.port !== undefined && { marker: String(server.port) }) } } : {};
  } catch (e) {
    if (e instanceof StoredJsonError) return { problem: e.message };
    throw e;
  }
}

/** A worker that is gone leaves its server holding a GPU: stop it, then report the job orphaned. */
export async function pollEvaluationWorker(job: JobRow): Promise<'running' | { orphaned: string }> {
  const stale = job.heartbeat_at !== null && Date.now() - job.heartbeat_at > HEARTBEAT_STALE_MS;
  if (isOurWorker(job.pid, job) && !stale) return 'running';
  const { server, problem } = serverOf(job);
  if (server !== undefined) await stopServerGroup(server.pgid, 5_000, server.marker);
  const stopped = server !== undefined ? `; its student server (process group ${server.pgid}) was stopped` : '';
  const unread = problem !== undefined ? `; its student server, if any, was not stopped: ${problem}` : '';
  return {
    orphaned: `worker process ${job.pid ?? '?'} vanished (orphaned)${stale ? '; its last heartbeat was over a minute ago' : ''}${stopped}${unread}`,
  };
}

export async function cancelEvaluationWorker(db: Db, job: JobRow): Promise<void> {
  requestCancel(db, job.id);
  // The worker stops its own server on the way out; only a dead worker's server is ours to stop.
  if (isOurWorker(job.pid, job)) process.kill(job.pid!, 'SIGTERM');
  else {
    // A handle that does not parse is reported when the job is next polled (pollEvaluationWorker).
    const { server } = serverOf(job);
    if (server !== undefined) await stopServerGroup(server.pgid, 5_000, server.marker);
  }
}

/** Evaluation: one worker process per cell, each serving the cell's student; at most evaluate.maxJobs at once. */
export class EvaluateDriver implements StageDriver {
  readonly stage = 'evaluate' as const;
  private readonly evaluate: EvaluateConfig;
  private readonly baseDir: string;

  constructor(
    private readonly db: Db,
    private readonly runDir: string,
    private readonly config: SweepConfig,
    private readonly env: NodeJS.ProcessEnv,
    opts: EvaluateDriverOptions = {},
  ) {
    this.evaluate = resolveEvaluateConfig(config);
    this.baseDir = path.resolve(opts.baseDir ?? process.cwd());
  }

  blockedReason(cell: CellRow): string | undefined {
    const source = cellStudentSource(cell, this.evaluate);
    if ('missing' in source) return source.missing;
    const { domain } = parseSetting(cell.setting);
    // Evaluation never downloads: a benchmark not on disk waits for `agora benchmarks fetch`.
    const missing = missingBenchmarks(DOMAIN_BENCHMARKS[domain], this.evaluate, { baseDir: this.baseDir, env: this.env });
    if (missing) return missing;
    if (domain === 'inst') return judgeBlockedReason(this.config, this.env);
    return undefined;
  }

  capacity(): number {
    return this.evaluate.maxJobs - runningServerJobs(this.db);
  }

  launch(cell: CellRow): void {
    launchEvaluationWorker(this.db, this.runDir, cell, 'evaluate', this.baseDir, this.env);
  }

  poll(job: JobRow): Promise<'running' | { orphaned: string }> {
    return pollEvaluationWorker(job);
  }

  cancel(job: JobRow): Promise<void> {
    return cancelEvaluationWorker(this.db, job);
  }
}
