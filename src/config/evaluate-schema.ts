import { z } from 'zod';

/**
 * The `evaluate:` section. Owned by the evaluation stage. This is a first cut that the
 * evaluation work extends.
 */
export const evaluateConfigSchema = z
  .object({
    serveCommand: z.string().default('vllm serve {checkpoint} --port {port}'),
    endpoint: z.string().url().optional(),
  })
  .passthrough();

export type EvaluateConfig = z.infer<typeof evaluateConfigSchema>;
