import type { TrainConfig } from '../../config/train-schema.js';
import type { JobHandle, JobRunnerPort, RunnerKind } from '../../core/job-runner-port.js';
import { LocalRunner, type LocalRunnerOptions } from './local-runner.js';
import { SlurmRunner, type SlurmBinaries } from './slurm-runner.js';

export interface RunnerOptions {
  readonly local?: LocalRunnerOptions;
  readonly slurmBin?: Partial<SlurmBinaries>;
}

/** The runner a `train:` section asks for. */
export function createJobRunner(config: Pick<TrainConfig, 'runner' | 'slurm'>, options: RunnerOptions = {}): JobRunnerPort {
  return runnerOfKind(config.runner, config, options);
}

export function runnerOfKind(kind: RunnerKind, config: Pick<TrainConfig, 'slurm'> = {}, options: RunnerOptions = {}): JobRunnerPort {
  switch (kind) {
    case 'local':
      return new LocalRunner(options.local);
    case 'slurm':
      return new SlurmRunner({ ...(config.slurm ? { config: config.slurm } : {}), ...(options.slurmBin ? { bin: options.slurmBin } : {}) });
    default: {
      const never: never = kind;
      throw new Error(`unknown runner ${String(never)}`);
    }
  }
}

/** The runner that can follow a stored handle, whatever the config says now. */
export function runnerForHandle(handle: JobHandle, config: Pick<TrainConfig, 'slurm'> = {}, options: RunnerOptions = {}): JobRunnerPort {
  return runnerOfKind(handle.runner, config, options);
}
