import type { GeneratorConfig, SweepConfig } from '../config/schema.js';
import { missingKeyReason } from '../adapters/llm/api-key.js';
import { cellGenerator, type CellRow } from '../store/cell-repo.js';
import { createJob, setJobConcurrency, setJobPid, requestCancel, type JobRow } from '../store/job-repo.js';
import type { Db } from '../store/open-store.js';
import { cellFiles } from '../core/run-layout.js';
import { variantBudgetUsd } from '../core/run-config.js';
import { parseSetting } from '../core/setting.js';
import { mainCellData } from '../store/budget-cell-repo.js';
import { HEARTBEAT_STALE_MS, isOurWorker } from './process-liveness.js';
import { spawnWorker } from './spawn-worker.js';
import type { StageDriver } from './stage-driver.js';

/** Generation: one worker process per running cell, sharing each generator's concurrency. */
export class GenerateDriver implements StageDriver {
  readonly stage = 'generate' as const;
  private readonly generators: Map<string, GeneratorConfig>;

  constructor(
    protected readonly db: Db,
    private readonly runDir: string,
    private readonly config: SweepConfig,
    private readonly env: NodeJS.ProcessEnv,
    private readonly unavailableSeeds: ReadonlyMap<string, string> = new Map(),
  ) {
    this.generators = new Map(config.generators.map((g) => [g.id, g]));
  }

  blockedReason(cell: CellRow): string | undefined {
    const g = this.generators.get(cell.generator);
    if (!g) return `generator ${cell.generator} is not in the config`;
    const { id: setting, variant } = parseSetting(cell.setting);
    // A fixed-budget cell takes a prefix of its main cell's data, at the price that cell measured: it waits for it.
    if (variantBudgetUsd(variant) !== undefined) {
      const main = mainCellData(this.db, cell.generator, setting);
      if (main && main.stage === 'generate' && main.state !== 'done')
        return `waiting for ${cell.generator} ${setting} to finish generating (its data is bought once)`;
      return undefined;
    }
    return missingKeyReason(g, this.env) ?? this.unavailableSeeds.get(setting);
  }

  /**
   * Two pools: cells of batch generators (maxBatchWorkers), which mostly wait on the provider,
   * and live cells (maxWorkers), so a day-long batch never holds a live cell's slot.
   */
  capacity(running: readonly JobRow[], cell: CellRow): number {
    const batch = (generator: string | undefined) => generator !== undefined && this.generators.get(generator)?.batch === true;
    const mine = batch(cell.generator);
    const inPool = running.filter((j) => batch(cellGenerator(this.db, j.cell_id)) === mine).length;
    return (mine ? this.config.generation.maxBatchWorkers : this.config.generation.maxWorkers) - inPool;
  }

  launch(cell: CellRow): void {
    const job = createJob(this.db, cell.id, 'generate', 'process', null);
    const log = cellFiles(this.runDir, cell).stageLog('generate');
    const pid = spawnWorker('generate', ['--run-dir', this.runDir, '--job', String(job.id)], log, this.env);
    setJobPid(this.db, job.id, pid);
  }

  poll(job: JobRow): 'running' | { orphaned: string } {
    const stale = job.heartbeat_at !== null && Date.now() - job.heartbeat_at > HEARTBEAT_STALE_MS;
    // A PID that now belongs to another process (recycled) is a vanished worker.
    if (isOurWorker(job.pid, job) && !stale) return 'running';
    return { orphaned: `worker process ${job.pid ?? '?'} vanished (orphaned)${stale ? '; its last heartbeat was over a minute ago' : ''}` };
  }

  cancel(job: JobRow): void {
    requestCancel(this.db, job.id);
    if (isOurWorker(job.pid, job)) process.kill(job.pid!, 'SIGTERM');
  }

  /** Each generator's concurrency is split evenly among its running cells. */
  rebalance(running: readonly JobRow[]): void {
    const byGen = new Map<string, JobRow[]>();
    for (const j of running) {
      const gen = cellGenerator(this.db, j.cell_id);
      if (!gen) continue;
      byGen.set(gen, [...(byGen.get(gen) ?? []), j]);
    }
    for (const [gen, jobs] of byGen) {
      const total = this.generators.get(gen)?.concurrency ?? 1;
      jobs.forEach((j, i) => {
        const share = Math.floor(total / jobs.length) + (i < total % jobs.length ? 1 : 0);
        setJobConcurrency(this.db, j.id, Math.max(1, share));
      });
    }
  }
}
