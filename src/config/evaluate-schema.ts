import { z } from 'zod';
import { placeholdersIn } from '../core/train/command-template.js';
import { MATH_VARIANTS, MBPP_VARIANTS, PROVIDER_KINDS, type EvaluateSettings } from '../core/run-config.js';
import { BENCHMARK_IDS, type BenchmarkId } from '../core/setting.js';
import type { Conforms } from './conforms.js';

/** The paper's reference student (Llama-3.1-8B-Instruct) scores: a comparison column, and S_ref only with `reference.scores: paper`. */
export const PAPER_REFERENCE_SCORES: Readonly<Record<BenchmarkId, number>> = {
  gsm8k: 78.9,
  math: 34.6,
  mbpp: 68.5,
  humaneval: 69.5,
  alpaca_eval: 24.2,
  arena_hard: 25.5,
};

export const SERVE_PLACEHOLDERS = ['checkpoint', 'port'] as const;

const serveCommand = z
  .string()
  .min(1)
  .superRefine((cmd, ctx) => {
    const used = placeholdersIn(cmd);
    for (const p of used) {
      if (!(SERVE_PLACEHOLDERS as readonly string[]).includes(p))
        ctx.addIssue({ code: 'custom', message: `unknown placeholder {${p}}; known: {checkpoint} {port}` });
    }
    if (!used.includes('port')) ctx.addIssue({ code: 'custom', message: 'needs {port}: agora picks a free port and waits for the server there' });
  });

/** One field per benchmark core knows (BENCHMARK_IDS), so a new benchmark cannot be left out here. */
function perBenchmark<T extends z.ZodType>(field: T) {
  return z.object(Object.fromEntries(BENCHMARK_IDS.map((b) => [b, field])) as Record<BenchmarkId, T>);
}

const score = z.number().min(-100).max(100);
export const benchmarkScoresSchema = perBenchmark(score).partial().strict();

/**
 * A baseline student (S_0 or S_ref): evaluated like a cell's student when it has a checkpoint
 * or an endpoint, else taken from `scores`.
 */
const baselineFields = {
  checkpoint: z.string().min(1).optional(),
  endpoint: z.string().url().optional(),
  /** Overrides evaluate.serveCommand for this model (e.g. a chat template for a base model). */
  serveCommand: serveCommand.optional(),
};
const oneSource = (b: { checkpoint?: string | undefined; endpoint?: string | undefined }, ctx: z.RefinementCtx) => {
  if (b.checkpoint !== undefined && b.endpoint !== undefined)
    ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'give a checkpoint or an endpoint, not both' });
};
export const baseBaselineSchema = z
  .object({ ...baselineFields, scores: benchmarkScoresSchema.optional() })
  .strict()
  .superRefine(oneSource);
/** The reference student the paper compares with; evaluated in agora's own harness unless the config says otherwise. */
export const REFERENCE_CHECKPOINT = 'meta-llama/Llama-3.1-8B-Instruct';
/**
 * S_ref: a checkpoint (default: REFERENCE_CHECKPOINT, evaluated once per run like the students),
 * an endpoint, or `scores`: `paper` for the paper's published numbers, or numbers of one's own.
 * Exactly one, so a PGR's denominator never silently mixes harnesses.
 */
export const referenceBaselineSchema = z
  .object({ ...baselineFields, scores: z.union([z.literal('paper'), benchmarkScoresSchema]).optional() })
  .strict()
  .superRefine((b, ctx) => {
    oneSource(b, ctx);
    if (b.scores !== undefined && (b.checkpoint !== undefined || b.endpoint !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['scores'],
        message: 'give a checkpoint, an endpoint or scores, not several: scores are used only for a reference that is not evaluated',
      });
    }
  })
  .transform((b) => (b.checkpoint === undefined && b.endpoint === undefined && b.scores === undefined ? { ...b, checkpoint: REFERENCE_CHECKPOINT } : b));

export const benchmarkDataSchema = z
  .object({
    /** The benchmark in its public format; default: downloaded into the cache. */
    dataFile: z.string().min(1).optional(),
    /** Arena-Hard only: the gpt-4-0314 baseline answers. */
    baselineFile: z.string().min(1).optional(),
    /** Only the first N items (smoke runs); PGR against full-benchmark baseline scores is then approximate. */
    limit: z.number().int().positive().optional(),
  })
  .strict();

/** The paper's student inference settings. */
export const inferenceSchema = z
  .object({
    temperature: z
      .object({ math: z.number().min(0).max(2).default(0.2), code: z.number().min(0).max(2).default(0), inst: z.number().min(0).max(2).default(0) })
      .strict()
      .default({ math: 0.2, code: 0, inst: 0 }),
    topP: z.number().gt(0).max(1).default(0.95),
    maxTokens: z.number().int().positive().default(1024),
    /** null: not sent at all (some OpenAI-compatible servers refuse fields they do not know). */
    repetitionPenalty: z.number().positive().nullable().default(1.03),
  })
  .strict();

/** A judge given inline: the fields of a generator entry. */
export const judgeProviderSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only'),
    provider: z.enum(PROVIDER_KINDS),
    model: z.string().min(1),
    baseURL: z.string().url().optional(),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'the name of an environment variable, not the key itself')
      .optional(),
    price: z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict(),
    concurrency: z.number().int().positive().default(16),
    timeoutSeconds: z.number().positive().default(300),
    maxRetries: z.number().int().nonnegative().default(6),
  })
  .strict()
  .superRefine((g, ctx) => {
    if (g.provider === 'openai-compatible' && !g.baseURL)
      ctx.addIssue({ code: 'custom', path: ['baseURL'], message: 'required for provider openai-compatible' });
  });

export const judgeSchema = z
  .object({
    /** The id of an entry of `generators` (its key, price and cap), or a provider given inline. */
    generator: z.union([z.string().min(1), judgeProviderSchema]),
    /** Overrides the generator's model (AlpacaEval 2.0 and Arena-Hard v0.1 judge with gpt-4-1106-preview). */
    model: z.string().min(1).optional(),
    /** Overrides the generator's price, for a `model` priced differently. */
    price: z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict().optional(),
    /** Items judged at once; default: the generator's concurrency. */
    concurrency: z.number().int().positive().optional(),
  })
  .strict();

/** The `evaluate:` section: how students are served, asked, graded and compared. */
export const evaluateConfigSchema = z
  .object({
    serveCommand: serveCommand.default('vllm serve {checkpoint} --port {port}'),
    /** A student server that is already running (OpenAI-compatible, `/v1` added when missing); used when a cell has no checkpoint. */
    endpoint: z.string().url().optional(),
    /** The model name sent to the student server; default: the first of its GET /v1/models. */
    model: z.string().min(1).optional(),
    /** `full` (all 5,000 MATH test problems, as the paper) or `math500` (the PRM800K subset). */
    math: z.enum(MATH_VARIANTS).default('full'),
    /** `evalplus` (MBPP+, 378 tasks, as the paper) or `original` (the 500-task MBPP test split, task ids 11-510). */
    mbpp: z.enum(MBPP_VARIANTS).default('evalplus'),
    /** A folder of benchmark files in the ../shared/data layout (relative to the config file); looked in before ../shared/data and the cache. */
    dataDir: z.string().min(1).optional(),
    benchmarks: perBenchmark(benchmarkDataSchema).partial().strict().default({}),
    /** Where `agora benchmarks fetch` keeps benchmarks (its benchmarks/ folder); default: $AGORA_CACHE_DIR or .cache/agora. */
    cacheDir: z.string().min(1).optional(),
    /** Requests in flight to one student server. */
    concurrency: z.number().int().positive().default(64),
    /** Students evaluated at once (each serves a model on the GPU). */
    maxJobs: z.number().int().positive().default(1),
    readinessTimeoutSeconds: z.number().positive().default(1200),
    requestTimeoutSeconds: z.number().positive().default(600),
    inference: inferenceSchema.default(inferenceSchema.parse({})),
    judge: judgeSchema.optional(),
    sandbox: z
      .object({ timeoutSeconds: z.number().positive().default(10), concurrency: z.number().int().positive().optional() })
      .strict()
      .default({ timeoutSeconds: 10 }),
    /** Seeds the AlpacaEval output order and the Arena-Hard bootstrap. */
    seed: z.number().int().default(42),
    baselines: z
      .object({ base: baseBaselineSchema.default({}), reference: referenceBaselineSchema.default({ checkpoint: REFERENCE_CHECKPOINT }) })
      .strict()
      .default({ base: {}, reference: { checkpoint: REFERENCE_CHECKPOINT } }),
    /** Each generator's own problem-solving score (the paper's Table 3), by generator id. */
    problemSolving: z.record(z.string(), z.number()).optional(),
    /**
     * The generators' own scores (the paper's Table 7) computed, not typed: `true` evaluates every
     * generator (a list, those ids) through its own API on the sweep's domains' benchmarks, once per
     * run, in the students' harness; every answer is a paid call charged to that generator.
     */
    generatorScores: z.union([z.boolean(), z.array(z.string().min(1)).min(1)]).default(false),
  })
  .strict();

export type EvaluateConfig = Conforms<z.infer<typeof evaluateConfigSchema>, EvaluateSettings>;
export type { BaselineSubject } from '../core/run-config.js';

/** The section with its defaults, also when the config has none. */
export function resolveEvaluateConfig(config: { readonly evaluate?: EvaluateConfig | undefined }): EvaluateConfig {
  return config.evaluate ?? evaluateConfigSchema.parse({});
}

/**
 * Checks that need the rest of the config (the lead adds them to the sweep's superRefine):
 * a judge named by id, and each generator listed in generatorScores, must be one of the generators.
 */
export function evaluateCrossChecks(
  evaluate: EvaluateConfig | undefined,
  generatorIds: readonly string[],
): Array<{ path: (string | number)[]; message: string }> {
  const out: Array<{ path: (string | number)[]; message: string }> = [];
  const g = evaluate?.judge?.generator;
  if (typeof g === 'string' && !generatorIds.includes(g)) {
    out.push({
      path: ['evaluate', 'judge', 'generator'],
      message: `no generator has id "${g}" (give one of ${generatorIds.join(', ')}, or a provider inline)`,
    });
  }
  const listed = evaluate?.generatorScores;
  if (Array.isArray(listed)) {
    listed.forEach((id, i) => {
      if (!generatorIds.includes(id))
        out.push({ path: ['evaluate', 'generatorScores', i], message: `no generator has id "${id}" (give ids of ${generatorIds.join(', ')})` });
    });
  }
  return out;
}
