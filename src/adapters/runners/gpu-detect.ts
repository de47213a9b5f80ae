import type { TrainConfig } from '../../config/train-schema.js';
import { countNvidiaSmiGpus, gpuCapacity, type GpuCapacity } from '../../core/train/gpu-accounting.js';
import { runCommand } from './run-command.js';

/** GPUs `nvidia-smi -L` lists; undefined when nvidia-smi is missing or fails. */
export async function detectGpus(nvidiaSmi = 'nvidia-smi'): Promise<number | undefined> {
  const res = await runCommand(nvidiaSmi, ['-L'], 15_000);
  if (res.code !== 0) return undefined;
  return countNvidiaSmiGpus(res.stdout);
}

/** Training slots for this config on this machine (nvidia-smi is only asked when needed). */
export async function trainCapacity(
  config: Pick<TrainConfig, 'runner' | 'gpus' | 'gpusPerJob'> & Partial<Pick<TrainConfig, 'device'>>,
  nvidiaSmi?: string,
): Promise<GpuCapacity> {
  // device: cpu trains one job at a time on this machine's CPU; no GPU is counted or asked for.
  if (config.device === 'cpu') return { ok: true, gpus: 0, slots: 1 };
  const detected = config.runner === 'local' && config.gpus === undefined ? await detectGpus(nvidiaSmi) : undefined;
  return gpuCapacity({
    runner: config.runner,
    gpusPerJob: config.gpusPerJob,
    ...(config.gpus !== undefined ? { configuredGpus: config.gpus } : {}),
    ...(detected !== undefined ? { detectedGpus: detected } : {}),
  });
}
