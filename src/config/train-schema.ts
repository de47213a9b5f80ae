import { z } from 'zod';

/**
 * The `train:` section. Owned by the training stage; the defaults are the paper's
 * hyperparameters (DESIGN.md). This is a first cut that the training work extends.
 */
export const trainConfigSchema = z
  .object({
    runner: z.enum(['local', 'slurm']).default('local'),
    command: z.string().optional(),
    baseModel: z.string().default('meta-llama/Llama-3.1-8B'),
    gpus: z.number().int().nonnegative().optional(),
    gpusPerJob: z.number().int().positive().default(4),
    gpuHourUsd: z.number().nonnegative().optional(),
  })
  .passthrough();

export type TrainConfig = z.infer<typeof trainConfigSchema>;
