import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_COMMAND, trainConfigSchema } from './train-schema.js';

describe('train config', () => {
  it('defaults to the paper setup and agora own SFT script', () => {
    const t = trainConfigSchema.parse({});
    expect(t).toMatchObject({
      runner: 'local',
      device: 'gpu',
      python: 'python3',
      command: DEFAULT_TRAIN_COMMAND,
      baseModel: 'meta-llama/Llama-3.1-8B',
      gpusPerJob: 4,
    });
    expect(t.hyperparameters).toEqual({
      epochs: 5,
      lr: 1e-5,
      maxLength: 4096,
      perDeviceBatchSize: 4,
      gradientAccumulation: 8,
      seed: 42,
      // The official recipe: packed 4,096-token sequences, lr x0.85 per epoch, no warmup, a system message.
      warmupRatio: 0,
      lrScheduler: 'step',
      lrDecay: 0.85,
      packing: true,
      systemMessage: 'You are a helpful AI assistant.',
      fsdp: 'auto',
      gradientCheckpointing: true,
    });
  });

  it('keeps agora earlier recipe as options', () => {
    const h = trainConfigSchema.parse({ hyperparameters: { packing: false, lrScheduler: 'linear', warmupRatio: 0.03, systemMessage: '' } }).hyperparameters;
    expect(h).toMatchObject({ packing: false, lrScheduler: 'linear', warmupRatio: 0.03, systemMessage: '' });
  });

  it('trains the tiny random model on the CPU', () => {
    expect(trainConfigSchema.parse({ runner: 'local', device: 'cpu', baseModel: 'tiny-random', python: '/venv/bin/python' })).toMatchObject({
      device: 'cpu',
      baseModel: 'tiny-random',
      python: '/venv/bin/python',
    });
  });

  it('takes a slurm section and overrides', () => {
    const t = trainConfigSchema.parse({
      runner: 'slurm',
      gpuHourUsd: 2.5,
      hyperparameters: { epochs: 3 },
      slurm: { partition: 'gpu', time: '1-12:00:00', mem: '200G', setup: ['module load cuda'] },
    });
    expect(t.hyperparameters.epochs).toBe(3);
    expect(t.hyperparameters.lr).toBe(1e-5);
    expect(t.slurm).toEqual({ partition: 'gpu', time: '1-12:00:00', mem: '200G', setup: ['module load cuda'], extraSbatch: [] });
  });

  it('names the field that is wrong', () => {
    const bad = (v: unknown) => trainConfigSchema.safeParse(v).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(bad({ hyperparameters: { learningRate: 1 } }).join()).toMatch(/hyperparameters.*learningRate/);
    expect(bad({ slurm: { time: '2 days' } }).join()).toMatch(/^slurm\.time: a Slurm time/);
    expect(bad({ gpusPerJob: 8, slurm: { gpusPerNode: 4 } })).toEqual([
      'gpusPerJob: 8 GPUs per job do not fit on one node of 4 (slurm.gpusPerNode); the SFT script trains on one node',
    ]);
    expect(bad({ runner: 'kubernetes' }).join()).toMatch(/^runner/);
    expect(bad({ runner: 'slurm', device: 'cpu' })).toEqual(['device: device: cpu trains on this machine; use runner: local']);
    expect(bad({ hyperparameters: { lrDecay: 0 } }).join()).toMatch(/^hyperparameters\.lrDecay/);
  });
});
