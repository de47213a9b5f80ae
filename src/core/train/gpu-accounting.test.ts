import { describe, expect, it } from 'vitest';
import { billedGpuWindow, countNvidiaSmiGpus, gpuCapacity, gpuCostUsd, gpuHours } from './gpu-accounting.js';

const HOUR = 3_600_000;

describe('GPU cost', () => {
  it('is gpus x hours x price', () => {
    expect(gpuHours(4, 0, 2.5 * HOUR)).toBe(10);
    expect(gpuCostUsd(4, 1000, 1000 + 2.5 * HOUR, 2.2)).toBeCloseTo(22, 10);
  });

  it('is 0 without a price, GPUs or elapsed time', () => {
    expect(gpuCostUsd(4, 0, HOUR, undefined)).toBe(0);
    expect(gpuCostUsd(0, 0, HOUR, 3)).toBe(0);
    expect(gpuCostUsd(4, HOUR, 0, 3)).toBe(0);
  });
});

describe('the GPU time a job is billed for', () => {
  const submitted = 1_000_000;
  it("is the runner's start to end, however late the conductor looks", () => {
    const status = { state: 'done' as const, startedAt: submitted + HOUR, endedAt: submitted + 3 * HOUR };
    expect(billedGpuWindow(submitted, status, submitted + 50 * HOUR)).toEqual({ from: submitted + HOUR, to: submitted + 3 * HOUR });
  });

  it('leaves out time in the queue: nothing while pending, from the real start while running', () => {
    expect(billedGpuWindow(submitted, { state: 'pending' }, submitted + HOUR)).toEqual({ from: submitted + HOUR, to: submitted + HOUR });
    expect(billedGpuWindow(submitted, { state: 'running', startedAt: submitted + HOUR }, submitted + 2 * HOUR)).toEqual({
      from: submitted + HOUR,
      to: submitted + 2 * HOUR,
    });
  });

  it('falls back to the submission and the poll when the runner kept no times (a job from an older agora)', () => {
    expect(billedGpuWindow(submitted, { state: 'done' }, submitted + HOUR)).toEqual({ from: submitted, to: submitted + HOUR });
    expect(billedGpuWindow(submitted, { state: 'running' }, submitted + HOUR)).toEqual({ from: submitted, to: submitted + HOUR });
  });
});

describe('GPU slots', () => {
  it('counts nvidia-smi -L lines', () => {
    const text = 'GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-1)\nGPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-2)\n  MIG 1g.10gb Device 0: (UUID: MIG-3)\n';
    expect(countNvidiaSmiGpus(text)).toBe(2);
    expect(countNvidiaSmiGpus('')).toBe(0);
  });

  it('local: config wins over detection; slots are whole jobs', () => {
    expect(gpuCapacity({ runner: 'local', configuredGpus: 8, detectedGpus: 2, gpusPerJob: 4 })).toEqual({ ok: true, gpus: 8, slots: 2 });
    expect(gpuCapacity({ runner: 'local', detectedGpus: 6, gpusPerJob: 4 })).toEqual({ ok: true, gpus: 6, slots: 1 });
  });

  it('local: no GPUs, or fewer than one job needs, blocks with a reason', () => {
    const none = gpuCapacity({ runner: 'local', gpusPerJob: 4 });
    expect(none).toEqual({
      ok: false,
      blockedReason: 'no GPUs to train on: nvidia-smi is not installed and train.gpus is not set; set train.gpus or use train.runner: slurm',
    });
    expect(gpuCapacity({ runner: 'local', detectedGpus: 0, gpusPerJob: 1 })).toMatchObject({
      ok: false,
      blockedReason: expect.stringContaining('nvidia-smi says this machine has no GPUs'),
    });
    expect(gpuCapacity({ runner: 'local', detectedGpus: 2, gpusPerJob: 4 })).toEqual({
      ok: false,
      blockedReason: 'train.gpusPerJob is 4 but this machine has 2 GPUs (nvidia-smi)',
    });
  });

  it('slurm: unlimited unless train.gpus caps it', () => {
    expect(gpuCapacity({ runner: 'slurm', gpusPerJob: 4 })).toMatchObject({ ok: true, slots: Number.POSITIVE_INFINITY });
    expect(gpuCapacity({ runner: 'slurm', configuredGpus: 16, gpusPerJob: 4 })).toEqual({ ok: true, gpus: 16, slots: 4 });
    expect(gpuCapacity({ runner: 'slurm', configuredGpus: 2, gpusPerJob: 4 }).ok).toBe(false);
  });
});
