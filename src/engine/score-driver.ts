import path from 'node:path';
import { resolveEvaluateConfig, type EvaluateConfig } from '../config/evaluate-schema.js';
import type { SweepConfig } from '../config/schema.js';
import { DOMAINS, parseSetting, type Domain } from '../core/setting.js';
import { applyCellEvent, replaceCellProgress, type CellRow } from '../store/cell-repo.js';
import { createJob, endJob, otherRunningScoreJobs, setJobPid, type JobRow } from '../store/job-repo.js';
import { writeTransaction, type Db } from '../store/open-store.js';
import { judgeBlockedReason } from '../adapters/llm/judge-target.js';
import { missingKeyReason } from '../adapters/llm/provider-factory.js';
import { cellFiles } from '../core/run-layout.js';
import { generatorNeeds, generatorScoresStoppedAt } from '../store/generator-scores.js';
import { spawnWorker } from './spawn-worker.js';
import { baselineNeeds, writeCellScores } from '../store/score-repo.js';
import {
  cancelEvaluationWorker,
  EVALUATE_WORKER,
  launchEvaluationWorker,
  pollEvaluationWorker,
  runningServerJobs,
  type EvaluateDriverOptions,
} from './evaluate-driver.js';

/** A score job that only calls APIs (the generators' own scores): a worker process that holds no GPU. */
const API_RUNNER = 'api';
import type { StageDriver } from './stage-driver.js';

/**
 * Scoring: PGR per benchmark and for the domain, from the cell's benchmark scores against the
 * base and reference students. When those are configured as models (a checkpoint or an
 * endpoint; the reference is one by default, Llama-3.1-8B-Instruct, so that S_ref comes from
 * the students' own harness) and lack scores, the score job first evaluates them in an
 * evaluation worker, once per run; otherwise scoring is a computation done right in `launch`.
 */
export class ScoreDriver implements StageDriver {
  readonly stage = 'score' as const;
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
    const domain = parseSetting(cell.setting).domain;
    const needs = baselineNeeds(this.db, this.evaluate, domain);
    if (needs.length === 0) return undefined;
    if (domain === 'inst') {
      const judge = judgeBlockedReason(this.config, this.env);
      if (judge) return `the ${needs.map((n) => n.subject).join(' and ')} model cannot be evaluated: ${judge}`;
    }
    const other = otherRunningScoreJobs(this.db, cell.id).find((r) => r.setting.startsWith(`${domain}/`));
    if (other)
      return `waiting for the ${needs.map((n) => n.subject).join(' and ')} model's evaluation (score job ${other.id}, ${other.generator} ${other.setting})`;
    return undefined;
  }

  /** Unlimited once no baseline is left to evaluate; until then score jobs may need a GPU slot. */
  capacity(): number {
    const domains = new Set<Domain>(this.config.settings.map((s) => parseSetting(s).domain));
    const pending = DOMAINS.some((d) => domains.has(d) && baselineNeeds(this.db, this.evaluate, d).length > 0);
    return pending ? this.evaluate.maxJobs - runningServerJobs(this.db) : Number.MAX_SAFE_INTEGER;
  }

  /**
   * The generators' own evaluations a score job of this cell would take on: those missing on its
   * domain that can run now (key, judge), while no other score job of the domain runs (that one
   * takes them on; this cell's PGR does not wait for it) and no other cell of the domain holds
   * them stopped at a cap (retrying that cell resumes them).
   */
  private generatorWork(cell: CellRow, domain: Domain): boolean {
    if (otherRunningScoreJobs(this.db, cell.id).some((r) => r.setting.startsWith(`${domain}/`))) return false;
    if (generatorScoresStoppedAt(this.db, domain, cell.id) !== undefined) return false;
    const judge = domain === 'inst' ? judgeBlockedReason(this.config, this.env) : undefined;
    return judge === undefined && generatorNeeds(this.db, this.config, domain).some((n) => missingKeyReason(n.generator, this.env) === undefined);
  }

  launch(cell: CellRow): void {
    const domain = parseSetting(cell.setting).domain;
    if (baselineNeeds(this.db, this.evaluate, domain).length > 0) {
      launchEvaluationWorker(this.db, this.runDir, cell, 'score', this.baseDir, this.env);
      return;
    }
    if (this.generatorWork(cell, domain)) {
      // API calls only, no student server: runner `api` is not counted among the GPU slots (countRunningServerJobs).
      const job = createJob(this.db, cell.id, 'score', API_RUNNER, null);
      const pid = spawnWorker(
        EVALUATE_WORKER,
        ['--run-dir', this.runDir, '--job', String(job.id), '--base-dir', this.baseDir],
        cellFiles(this.runDir, cell).stageLog('score'),
        this.env,
      );
      setJobPid(this.db, job.id, pid);
      return;
    }
    writeTransaction(this.db, () => {
      const job = createJob(this.db, cell.id, 'score', 'inline', null);
      writeCellScores(this.db, this.config, cell);
      replaceCellProgress(this.db, cell.id, { stage: 'score' });
      endJob(this.db, job.id, 'done');
      applyCellEvent(this.db, cell.id, { type: 'finish' }, { stage: 'score', state: 'running' });
    });
  }

  poll(job: JobRow): Promise<'running' | { orphaned: string }> | { orphaned: string } {
    // An inline job ends inside launch's transaction; one still running was cut off mid-way.
    if (job.runner === 'inline') return { orphaned: 'scoring was interrupted (orphaned)' };
    return pollEvaluationWorker(job);
  }

  async cancel(job: JobRow): Promise<void> {
    if (job.runner === 'inline') {
      endJob(this.db, job.id, 'cancelled');
      applyCellEvent(this.db, job.cell_id, { type: 'cancel' }, { stage: 'score', state: 'running' });
      return;
    }
    await cancelEvaluationWorker(this.db, job);
  }
}
