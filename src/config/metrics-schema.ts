import { z } from 'zod';
import { evaluateConfigSchema } from './evaluate-schema.js';

const price = z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict();
/** evaluate.serveCommand's own rules ({checkpoint}, {port} required), without its default. */
const serveCommand = evaluateConfigSchema.shape.serveCommand.unwrap();

/**
 * A model the metrics stage talks to: a server that is already running (`endpoint`), or one agora
 * starts from `serveCommand` (default: evaluate.serveCommand) with `checkpoint`, exactly as
 * evaluation serves its students. `model`: the name sent; default: the first the server lists.
 */
const servedFields = {
  endpoint: z.string().url().optional(),
  checkpoint: z.string().min(1).optional(),
  serveCommand: serveCommand.optional(),
  model: z.string().min(1).optional(),
};

function oneSource(
  s: { endpoint?: string | undefined; checkpoint?: string | undefined; serveCommand?: string | undefined },
  ctx: z.RefinementCtx,
  needs: boolean,
) {
  if (s.endpoint !== undefined && (s.checkpoint !== undefined || s.serveCommand !== undefined))
    ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'give an endpoint, or a checkpoint (and serveCommand) that agora serves, not both' });
  if (needs && s.endpoint === undefined && s.checkpoint === undefined)
    ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'give an endpoint (a running OpenAI-compatible server) or a checkpoint to serve' });
}

const servedModel = (needsSource: boolean) =>
  z
    .object(servedFields)
    .strict()
    .superRefine((s, ctx) => oneSource(s, ctx, needsSource));

export const metricsConfigSchema = z
  .object({
    /** Instances measured per cell: a sample drawn by generation.seed and the cell (core/metrics/sample.ts). */
    sampleSize: z.number().int().positive().default(100),
    /** Cells measured at once, each its own worker process. */
    maxJobs: z.number().int().positive().default(2),
    /** Requests in flight per metric model. */
    concurrency: z.number().int().positive().default(8),
    /** The LLM judge (difficulty.judge, quality.judge): evaluate.judge, or a generator of this sweep; paid and capped. */
    judge: z
      .union([z.literal(true), z.object({ generator: z.string().min(1).optional(), model: z.string().min(1).optional(), price: price.optional() }).strict()])
      .optional(),
    /** A second, open judge served OpenAI-compatibly (difficulty.openJudge, quality.openJudge); `price` makes its calls paid. */
    openJudge: z
      .object({ ...servedFields, price: price.optional() })
      .strict()
      .superRefine((s, ctx) => oneSource(s, ctx, true))
      .optional(),
    /** The student base model's perplexity of the instruction; default checkpoint: evaluate.baselines.base.checkpoint. */
    perplexity: servedModel(false).optional(),
    /** A reward model's score of each response (quality.reward), through the server's /pooling. */
    reward: servedModel(true).optional(),
    /** Embeddings of instructions and responses (diversity.*): OpenAI or an OpenAI-compatible server. */
    embeddings: z
      .object({
        provider: z.enum(['openai', 'openai-compatible']),
        baseURL: z.string().url().optional(),
        model: z.string().min(1),
        apiKeyEnv: z
          .string()
          .regex(/^[A-Z_][A-Z0-9_]*$/, 'the name of an environment variable, not the key itself')
          .optional(),
        price: z.object({ input: z.number().nonnegative() }).strict(),
      })
      .strict()
      .superRefine((e, ctx) => {
        if (e.provider === 'openai-compatible' && !e.baseURL)
          ctx.addIssue({ code: 'custom', path: ['baseURL'], message: 'required for provider openai-compatible' });
      })
      .optional(),
  })
  .strict();

export type MetricsConfig = z.infer<typeof metricsConfigSchema>;

/**
 * Checks that need the rest of the config: a judge needs evaluate.judge or a generator, a named
 * generator must exist, and perplexity needs a model to serve.
 */
export function metricsCrossChecks(
  c: {
    metrics?: MetricsConfig | undefined;
    evaluate?: { judge?: unknown; baselines?: { base?: { checkpoint?: string | undefined; endpoint?: string | undefined } } } | undefined;
  },
  generatorIds: readonly string[],
): Array<{ path: (string | number)[]; message: string }> {
  const m = c.metrics;
  if (!m) return [];
  const out: Array<{ path: (string | number)[]; message: string }> = [];
  const judge = m.judge;
  if (judge !== undefined) {
    const named = judge === true ? undefined : judge.generator;
    if (named !== undefined && !generatorIds.includes(named))
      out.push({ path: ['metrics', 'judge', 'generator'], message: `no generator has id "${named}" (give one of ${generatorIds.join(', ')})` });
    if (named === undefined && c.evaluate?.judge === undefined)
      out.push({ path: ['metrics', 'judge'], message: 'names no generator and evaluate.judge is not configured: give metrics.judge.generator' });
  }
  const p = m.perplexity;
  const base = c.evaluate?.baselines?.base;
  if (p && p.endpoint === undefined && p.checkpoint === undefined && base?.checkpoint === undefined && base?.endpoint === undefined)
    out.push({
      path: ['metrics', 'perplexity'],
      message: 'give an endpoint or a checkpoint (the student base model); evaluate.baselines.base has none to default to',
    });
  return out;
}
