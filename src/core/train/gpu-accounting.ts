import { isFinished, type JobStatus, type RunnerKind } from '../job-runner-port.js';

const MS_PER_HOUR = 3_600_000;

/** GPU hours of a job that held `gpus` GPUs from `startedAt` to `endedAt` (epoch ms). */
export function gpuHours(gpus: number, startedAt: number, endedAt: number): number {
  if (!(gpus > 0) || !(endedAt > startedAt)) return 0;
  return (gpus * (endedAt - startedAt)) / MS_PER_HOUR;
}

/** gpus x hours x train.gpuHourUsd; 0 when no price is configured (CellSnapshot.gpuCostUsd). */
export function gpuCostUsd(gpus: number, startedAt: number, endedAt: number, gpuHourUsd: number | undefined): number {
  if (gpuHourUsd === undefined) return 0;
  return gpuHours(gpus, startedAt, endedAt) * gpuHourUsd;
}

/**
 * The span a job held its GPUs: from the runner's record of its start (not the submission:
 * Slurm queue time is free) to its end (not whenever a conductor next looked: a job that
 * ended while the dashboard was closed stops costing when it ended). A job without those
 * records (started by an older agora) falls back to the submission and `now`.
 */
export function billedGpuWindow(submittedAt: number, status: Pick<JobStatus, 'state' | 'startedAt' | 'endedAt'>, now: number): { from: number; to: number } {
  if (status.state === 'pending') return { from: now, to: now };
  const from = status.startedAt ?? submittedAt;
  const to = isFinished(status.state) ? (status.endedAt ?? now) : now;
  return { from, to: Math.max(from, to) };
}

/** Counts the `GPU 0: ...` lines of `nvidia-smi -L`. */
export function countNvidiaSmiGpus(text: string): number {
  return text.split('\n').filter((l) => /^GPU \d+:/.test(l.trim())).length;
}

export type GpuCapacity = { readonly ok: true; readonly gpus: number; readonly slots: number } | { readonly ok: false; readonly blockedReason: string };

export interface GpuCapacityInput {
  readonly runner: RunnerKind;
  /** train.gpus */
  readonly configuredGpus?: number;
  /** From nvidia-smi; undefined when it is missing. */
  readonly detectedGpus?: number;
  readonly gpusPerJob: number;
}

/**
 * How many training jobs may run at once. Local jobs share this machine's GPUs: train.gpus
 * if set, else what nvidia-smi counts. Slurm queues jobs itself, so there is no limit unless
 * train.gpus caps the GPUs agora may hold at once.
 */
export function gpuCapacity(input: GpuCapacityInput): GpuCapacity {
  const perJob = Math.max(1, input.gpusPerJob);
  if (input.runner === 'slurm') {
    if (input.configuredGpus === undefined) return { ok: true, gpus: Number.POSITIVE_INFINITY, slots: Number.POSITIVE_INFINITY };
    const slots = Math.floor(input.configuredGpus / perJob);
    if (slots === 0) return { ok: false, blockedReason: `train.gpus is ${input.configuredGpus}, less than train.gpusPerJob (${perJob})` };
    return { ok: true, gpus: input.configuredGpus, slots };
  }
  const gpus = input.configuredGpus ?? input.detectedGpus ?? 0;
  const source = input.configuredGpus !== undefined ? 'train.gpus' : input.detectedGpus !== undefined ? 'nvidia-smi' : undefined;
  if (gpus === 0) {
    const found = source === undefined ? 'nvidia-smi is not installed and train.gpus is not set' : `${source} says this machine has no GPUs`;
    return { ok: false, blockedReason: `no GPUs to train on: ${found}; set train.gpus or use train.runner: slurm` };
  }
  const slots = Math.floor(gpus / perJob);
  if (slots === 0) return { ok: false, blockedReason: `train.gpusPerJob is ${perJob} but this machine has ${gpus} GPU${gpus === 1 ? '' : 's'} (${source})` };
  return { ok: true, gpus, slots };
}
