import type { TrainSettings } from '../run-config.js';
import type { JobSpec } from '../job-runner-port.js';
import { buildTrainCommand, type TrainJobPaths } from './command-template.js';

export interface TrainJobInput extends TrainJobPaths {
  /** e.g. `train gpt-4o math/instance`. */
  readonly name: string;
  /** Where the command runs (the project root, so relative paths in a custom command work). */
  readonly cwd: string;
  readonly logFile: string;
  readonly env?: Readonly<Record<string, string>>;
  /** CUDA_VISIBLE_DEVICES of a local GPU job (core/train/gpu-slots.ts); unset: not pinned. */
  readonly cudaVisibleDevices?: string;
}

/** A CPU job sees no GPU (torch would otherwise take one it was not given); a GPU job its own. */
function devicesEnv(config: TrainSettings, input: TrainJobInput): Record<string, string> {
  if (config.device === 'cpu') return { CUDA_VISIBLE_DEVICES: '' };
  return input.cudaVisibleDevices !== undefined ? { CUDA_VISIBLE_DEVICES: input.cudaVisibleDevices } : {};
}

/**
 * The JobSpec of one cell's training job, ready for any JobRunnerPort. Python output is
 * unbuffered so the log tail in the dashboard moves while the trainer runs.
 */
export function trainJobSpec(config: TrainSettings, input: TrainJobInput): JobSpec {
  return {
    name: input.name,
    command: buildTrainCommand(config, input),
    cwd: input.cwd,
    env: { PYTHONUNBUFFERED: '1', ...input.env, ...devicesEnv(config, input) },
    logFile: input.logFile,
    progressFile: input.progressFile,
    gpus: config.device === 'cpu' ? 0 : config.gpusPerJob,
    ...(config.timeLimitMinutes !== undefined ? { timeLimitMinutes: config.timeLimitMinutes } : {}),
  };
}
