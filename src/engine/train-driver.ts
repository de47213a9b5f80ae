import fs from 'node:fs';
import path from 'node:path';
import { createJobRunner, runnerForHandle } from '../adapters/runners/create-runner.js';
import { projectRoot } from '../adapters/datasets/paths.js';
import { trainCapacity } from '../adapters/runners/gpu-detect.js';
import { ProgressFileReader } from '../adapters/runners/progress-file-reader.js';
import { trainConfigSchema, type TrainConfig } from '../config/train-schema.js';
import type { SweepConfig } from '../config/schema.js';
import { usdToNano } from '../core/cost.js';
import { cellFiles, cellFilesIn } from '../core/run-layout.js';
import { isFinished } from '../core/job-runner-port.js';
import { cudaVisibleDevices, freeDevices } from '../core/train/gpu-slots.js';
import { billedGpuWindow, gpuCostUsd } from '../core/train/gpu-accounting.js';
import { parseProgressLines } from '../core/train/progress-protocol.js';
import { lossCurve, toStageProgress } from '../core/train/train-progress.js';
import { trainOutcome } from '../core/train/train-outcome.js';
import { trainJobSpec } from '../core/train/train-job.js';
import { applyCellEvent, chargeTrainGpu, setCellCheckpoint, setCellProgress, type CellRow } from '../store/cell-repo.js';
import { createJob, endJob, getJob, runningTrainHandles, setJobHandle, type JobRow } from '../store/job-repo.js';
import { writeTransaction, type Db } from '../store/open-store.js';
import { devicesOfTrainHandle, parseTrainHandle, type TrainHandle } from '../store/job-handle-json.js';
import { StoredJsonError } from '../store/stored-json.js';
import type { StageDriver } from './stage-driver.js';

const HANDLE_GRACE_MS = 30_000;
/** The package's folder (python/sft/ lives there). */
const REPO_ROOT = projectRoot();

export function trainPaths(runDir: string, cell: Pick<CellRow, 'generator' | 'setting'>) {
  const f = cellFiles(runDir, cell);
  return { dir: f.dir, data: f.trainData, outputDir: f.checkpointDir, progressFile: f.trainProgress, logFile: f.stageLog('train') };
}

/** The loss curve of a cell's training, read from its progress file (for the detail view). */
export function readLossCurve(dir: string): number[] {
  try {
    return lossCurve(parseProgressLines(fs.readFileSync(cellFilesIn(dir).trainProgress, 'utf8'), true).events);
  } catch {
    return [];
  }
}

/** The job's stored handle, or what is wrong with it. */
function handleOf(json: string, jobId: number): TrainHandle | string {
  try {
    return parseTrainHandle(json, jobId);
  } catch (e) {
    if (e instanceof StoredJsonError) return e.message;
    throw e;
  }
}

/**
 * Training: the trainer command runs as a background job through a runner (a local process
 * group, or Slurm); the conductor follows it through the runner and the progress file. The
 * job handle is in the store, so a restarted conductor re-attaches to a job still running.
 */
export class TrainDriver implements StageDriver {
  readonly stage = 'train' as const;
  private readonly readers = new Map<number, ProgressFileReader>();

  private constructor(
    private readonly db: Db,
    private readonly runDir: string,
    private readonly train: TrainConfig | undefined,
    private readonly slots: number,
    private readonly blocked: string | undefined,
  ) {}

  static async create(db: Db, runDir: string, config: SweepConfig): Promise<TrainDriver> {
    if (!config.train) {
      return new TrainDriver(db, runDir, undefined, 0, 'training is not configured: add a train: section (runner local with GPUs, or slurm) to the config');
    }
    const train = trainConfigSchema.parse(config.train);
    const cap = await trainCapacity(train);
    if (!cap.ok) return new TrainDriver(db, runDir, train, 0, cap.blockedReason);
    const driver = new TrainDriver(db, runDir, train, cap.slots, undefined);
    // Local GPU jobs each get their own devices (core/train/gpu-slots.ts).
    driver.localGpus = train.runner === 'local' && train.device === 'gpu' ? cap.gpus : 0;
    return driver;
  }

  private localGpus = 0;

  /** Devices the running training jobs were given (recorded with their handles). */
  private heldDevices(): number[][] {
    return runningTrainHandles(this.db).map(devicesOfTrainHandle);
  }

  blockedReason(cell: CellRow): string | undefined {
    if (this.blocked) return this.blocked;
    if (!fs.existsSync(trainPaths(this.runDir, cell).data)) return 'its training file is missing: retry generation';
    return undefined;
  }

  capacity(running: readonly JobRow[]): number {
    return this.slots - running.length;
  }

  async launch(cell: CellRow): Promise<void> {
    const train = this.train!;
    const p = trainPaths(this.runDir, cell);
    const devices = this.localGpus > 0 ? freeDevices(this.localGpus, train.gpusPerJob, this.heldDevices()) : undefined;
    const job = createJob(this.db, cell.id, 'train', train.runner, null);
    const spec = trainJobSpec(train, {
      ...(devices ? { cudaVisibleDevices: cudaVisibleDevices(devices, process.env.CUDA_VISIBLE_DEVICES) } : {}),
      name: `train ${cell.generator} ${cell.setting}`,
      cwd: REPO_ROOT,
      logFile: p.logFile,
      data: p.data,
      outputDir: p.outputDir,
      progressFile: p.progressFile,
      sftScript: path.join(REPO_ROOT, 'python/sft/sft.py'),
    });
    fs.mkdirSync(p.dir, { recursive: true });
    try {
      const handle = await createJobRunner(train).start(spec);
      setJobHandle(this.db, job.id, { ...handle, ...(devices ? { devices } : {}) });
    } catch (e) {
      endJob(this.db, job.id, 'failed', (e as Error).message);
      throw e;
    }
  }

  async poll(job: JobRow): Promise<'running' | 'ended' | { orphaned: string }> {
    if (!job.handle_json) {
      // The handle is stored right after the runner starts the job, in the same tick; a job
      // still without one later was being started by a conductor that died mid-way.
      return Date.now() - job.started_at < HANDLE_GRACE_MS ? 'running' : { orphaned: 'the conductor died while starting this job (orphaned)' };
    }
    const handle = handleOf(job.handle_json, job.id);
    // Without its handle the job cannot be followed: it ends failed, saying what was wrong.
    if (typeof handle === 'string') return { orphaned: `${handle}; the job cannot be followed (its process, if any, was not stopped)` };
    const status = await runnerForHandle(handle, this.train ?? {}).poll(handle);
    let reader = this.readers.get(job.id);
    if (!reader) this.readers.set(job.id, (reader = new ProgressFileReader(handle.progressFile)));
    const summary = await reader.read(isFinished(status.state));
    const outcome = trainOutcome(status, summary);
    // Billed from the runner's own start and end (not submission to this poll): see billedGpuWindow.
    const gpuSpan = billedGpuWindow(handle.startedAt, status, Date.now());
    const gpuNano = usdToNano(gpuCostUsd(this.train?.device === 'cpu' ? 0 : (this.train?.gpusPerJob ?? 0), gpuSpan.from, gpuSpan.to, this.train?.gpuHourUsd));
    writeTransaction(this.db, () => {
      chargeTrainGpu(this.db, job.id, job.cell_id, gpuNano);
      setCellProgress(this.db, job.cell_id, {
        ...toStageProgress(summary),
        ...(outcome.state === 'done' ? { checkpoint: outcome.checkpoint } : {}),
      });
    });
    if (outcome.state === 'pending' || outcome.state === 'running') return 'running';
    this.readers.delete(job.id);
    writeTransaction(this.db, () => {
      const expect = { stage: 'train' as const, state: 'running' as const };
      if (outcome.state === 'done') {
        if (!endJob(this.db, job.id, 'done')) return;
        setCellCheckpoint(this.db, job.cell_id, outcome.checkpoint);
        applyCellEvent(this.db, job.cell_id, { type: 'finish' }, expect);
      } else if (outcome.state === 'failed' && !getJob(this.db, job.id).cancel_requested) {
        if (!endJob(this.db, job.id, 'failed', outcome.error)) return;
        applyCellEvent(this.db, job.cell_id, { type: 'fail', error: outcome.error }, expect);
      } else {
        // Cancelled, or killed on request and so exited non-zero: cancel is cancelled.
        if (!endJob(this.db, job.id, 'cancelled', outcome.state === 'cancelled' ? outcome.reason : 'cancelled')) return;
        applyCellEvent(this.db, job.cell_id, { type: 'cancel' }, expect);
      }
    });
    return 'ended';
  }

  async cancel(job: JobRow): Promise<void> {
    if (!job.handle_json) return;
    const handle = handleOf(job.handle_json, job.id);
    // A handle that does not parse is reported (and its job ended) when it is next polled.
    if (typeof handle === 'string') return;
    await runnerForHandle(handle, this.train ?? {}).cancel(handle);
  }
}
