import path from 'node:path';
import type { SweepConfig } from '../config/schema.js';
import type { MetricsConfig } from '../config/metrics-schema.js';
import { missingKeyReason } from '../adapters/llm/api-key.js';
import { cellFiles } from '../core/run-layout.js';
import type { CellRow } from '../store/cell-repo.js';
import { countRunningServerJobs, createJob, setJobPid, type JobRow } from '../store/job-repo.js';
import { resolveEvaluateConfig } from '../config/evaluate-schema.js';
import type { Db } from '../store/open-store.js';
import { embeddingsProvider, metricsJudge, servedSource } from '../config/metric-models.js';
import { cancelEvaluationWorker, pollEvaluationWorker } from './evaluate-driver.js';
import { spawnWorker } from './spawn-worker.js';
import type { StageDriver } from './stage-driver.js';

/**
 * The intrinsic metrics (paper's Table 8): one worker process per cell, at most metrics.maxJobs
 * at once. Its served models are recorded on the job like evaluation's students, so a worker
 * that dies has them stopped by the same poll.
 */
export class MetricsDriver implements StageDriver {
  readonly stage = 'metrics' as const;
  private readonly metrics: MetricsConfig;
  private readonly baseDir: string;

  constructor(
    private readonly db: Db,
    private readonly runDir: string,
    private readonly config: SweepConfig,
    private readonly env: NodeJS.ProcessEnv,
    opts: { readonly baseDir?: string } = {},
  ) {
    if (!config.metrics) throw new Error('the metrics stage needs a metrics: section');
    this.metrics = config.metrics;
    this.baseDir = path.resolve(opts.baseDir ?? process.cwd());
  }

  /** What a model of the section lacks (a judge, a key, a model to serve), the same for every cell. */
  blockedReason(): string | undefined {
    if (this.metrics.judge !== undefined) {
      const j = metricsJudge(this.config);
      if ('missing' in j) return j.missing;
      const key = missingKeyReason(j.generator, this.env);
      if (key) return `metrics judge ${j.generator.id}: ${key}`;
    }
    const e = embeddingsProvider(this.metrics);
    const key = e && missingKeyReason(e, this.env);
    if (key) return `metrics embeddings ${e.model}: ${key}`;
    for (const name of ['openJudge', 'perplexity', 'reward'] as const) {
      if (this.metrics[name] === undefined) continue;
      const source = servedSource(this.config, name);
      if ('missing' in source) return source.missing;
    }
    return undefined;
  }

  /**
   * A job that serves a model (a checkpoint for the open judge, perplexity or the reward model)
   * holds a GPU as an evaluation does, and shares evaluate.maxJobs with evaluations; one that only
   * calls APIs and endpoints (runner `api`) holds none.
   */
  private servesModels(): boolean {
    return (['openJudge', 'perplexity', 'reward'] as const).some((name) => {
      if (this.metrics[name] === undefined) return false;
      const source = servedSource(this.config, name);
      return 'checkpoint' in source;
    });
  }

  capacity(running: readonly JobRow[]): number {
    const own = this.metrics.maxJobs - running.length;
    return this.servesModels() ? Math.min(own, resolveEvaluateConfig(this.config).maxJobs - countRunningServerJobs(this.db)) : own;
  }

  launch(cell: CellRow): void {
    const job = createJob(this.db, cell.id, 'metrics', this.servesModels() ? 'process' : 'api', null);
    const log = cellFiles(this.runDir, cell).stageLog('metrics');
    const pid = spawnWorker('metrics', ['--run-dir', this.runDir, '--job', String(job.id), '--base-dir', this.baseDir], log, this.env);
    setJobPid(this.db, job.id, pid);
  }

  poll(job: JobRow): Promise<'running' | { orphaned: string }> {
    return pollEvaluationWorker(job);
  }

  cancel(job: JobRow): Promise<void> {
    return cancelEvaluationWorker(this.db, job);
  }
}
