import { z } from 'zod';
import { META_PROMPT_CHOICES, PROVIDER_KINDS, SEED_SET_CHOICES, type GeneratorSpec } from '../core/run-config.js';
import { isSettingId, type SettingId } from '../core/setting.js';
import type { Conforms } from './conforms.js';
import { evaluateConfigSchema, evaluateCrossChecks } from './evaluate-schema.js';
import { trainConfigSchema } from './train-schema.js';
import { metricsConfigSchema, metricsCrossChecks } from './metrics-schema.js';

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const priceSchema = z.object({
  input: z.number().nonnegative().describe('USD per 1M input tokens'),
  output: z.number().nonnegative().describe('USD per 1M output tokens'),
});

export const generatorSchema = z
  .object({
    id: z.string().regex(idPattern, 'letters, digits, ".", "_" and "-" only (it names a folder)'),
    provider: z.enum(PROVIDER_KINDS),
    model: z.string().min(1),
    baseURL: z.string().url().optional(),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'the name of an environment variable, not the key itself')
      .optional(),
    price: priceSchema,
    concurrency: z.number().int().positive().default(16),
    /** Seconds before one request is abandoned and retried. */
    timeoutSeconds: z.number().positive().default(120),
    maxRetries: z.number().int().nonnegative().default(6),
    /** Stream replies (SSE): long generations then never sit silent on a proxy's idle timeout. */
    stream: z.boolean().optional(),
    /** Generation through the provider's batch API (OpenAI Batch, Anthropic Message Batches): half price, hours not seconds. */
    batch: z.boolean().optional(),
  })
  .strict()
  .superRefine((g, ctx) => {
    if (g.provider === 'openai-compatible' && !g.baseURL) {
      ctx.addIssue({ code: 'custom', path: ['baseURL'], message: 'required for provider openai-compatible' });
    }
  });

const settingIdSchema = z.string().refine(isSettingId, {
  message: 'expected <domain>/<method>, domain one of math|code|inst, method one of instance|response|quality',
}) as unknown as z.ZodType<SettingId>;

export const seedSourceSchema = z.union([
  z
    .object({
      path: z.string().min(1),
      instruction: z.string().min(1),
      response: z.string().optional(),
      format: z.enum(['jsonl', 'json']).optional(),
      limit: z.number().int().positive().optional(),
    })
    .strict(),
  z
    .object({
      hf: z.string().min(1),
      config: z.string().optional(),
      split: z.string().default('train'),
      /** A commit sha, branch or tag of the dataset; absent: the revision the first fetch recorded. */
      revision: z.string().min(1).optional(),
      instruction: z.string().min(1),
      response: z.string().optional(),
      limit: z.number().int().positive().optional(),
    })
    .strict(),
]);

export const budgetSchema = z
  .object({
    usd: z.number().nonnegative(),
    perGenerator: z.record(z.string(), z.number().nonnegative()).optional(),
  })
  .strict();

export const generationSchema = z
  .object({
    /** 4,096 as in the official code: 2,048 cuts long answers, which are then rejected as truncated. */
    maxTokens: z.number().int().positive().default(4096),
    temperature: z.number().min(0).max(2).default(1.0),
    topP: z.number().min(0).max(1).default(0.9),
    /** Attempts per seed item (response/quality) before it is dropped; 10 as in the official code. */
    attemptsPerItem: z.number().int().positive().default(10),
    /** Cells generating at once across the run, each its own worker process. */
    maxWorkers: z.number().int().positive().default(8),
    /**
     * Cells of `batch: true` generators generating at once, apart from maxWorkers: such a cell
     * mostly waits (up to a day) on the provider, polling once a minute, and must not hold a
     * live cell's slot for that long.
     */
    maxBatchWorkers: z.number().int().positive().default(32),
    seed: z.number().int().default(42),
  })
  .strict();

export const sweepConfigSchema = z
  .object({
    name: z.string().regex(idPattern, 'letters, digits, ".", "_" and "-" only (it names a folder)'),
    runDir: z.string().optional(),
    instancesPerCell: z.number().int().positive(),
    budget: budgetSchema,
    generators: z.array(generatorSchema).min(1),
    settings: z.array(settingIdSchema).min(1),
    seeds: z.record(settingIdSchema, seedSourceSchema).optional(),
    /**
     * agora's own prompts in one of the paper's three styles, or `official`: the official
     * repository's files. A list makes the variant a dimension of the sweep (the paper's Table 5
     * ablation): the first is the main sweep's, each other one adds a cell per generator and
     * setting (`math/instance@json`).
     */
    metaPrompt: z.union([z.enum(META_PROMPT_CHOICES), z.array(z.enum(META_PROMPT_CHOICES)).min(1)]).default('default'),
    /**
     * The fixed-budget study (the paper's Figure 7): for each dollar amount, a cell per generator
     * and setting that trains on the prefix of the main cell's data the amount buys at the price
     * that cell's generation measured (more instances from a cheap generator than from a dear one).
     */
    fixedBudget: z
      .object({ usd: z.array(z.number().positive()).min(1) })
      .strict()
      .superRefine((b, ctx) => {
        b.usd.forEach((u, i) => {
          if (b.usd.indexOf(u) !== i) ctx.addIssue({ code: 'custom', path: ['usd', i], message: `$${u} is listed twice` });
        });
      })
      .optional(),
    /**
     * Where `metaPrompt: official` reads the official prompt files: `dir` (agora_scripts/prompts
     * of a local copy, relative to the config file), else the `agora prompts fetch` cache at `commit`.
     */
    officialPrompts: z
      .object({
        dir: z.string().min(1).optional(),
        commit: z
          .string()
          .regex(/^[0-9a-f]{7,40}$/i, 'a git commit hash')
          .optional(),
      })
      .strict()
      .optional(),
    /**
     * `paper`: the paper's full seed sets (seeds/manifest.json: local copies in ../shared/data,
     * else the `agora seeds fetch` cache); `bundled`: the small sets in seeds/. A setting named
     * in `seeds` always uses that source.
     */
    seedSets: z.enum(SEED_SET_CHOICES).default('bundled'),
    generation: generationSchema.default(generationSchema.parse({})),
    train: trainConfigSchema.optional(),
    evaluate: evaluateConfigSchema.optional(),
    /** The intrinsic metrics stage (paper's Table 8); absent: cells end at score. */
    metrics: metricsConfigSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.generators.forEach((g, i) => {
      if (seen.has(g.id)) ctx.addIssue({ code: 'custom', path: ['generators', i, 'id'], message: `duplicate generator id "${g.id}"` });
      seen.add(g.id);
    });
    const seenSettings = new Set<string>();
    c.settings.forEach((s, i) => {
      if (seenSettings.has(s)) ctx.addIssue({ code: 'custom', path: ['settings', i], message: `duplicate setting "${s}"` });
      seenSettings.add(s);
    });
    if (Array.isArray(c.metaPrompt)) {
      const variants = new Set<string>();
      c.metaPrompt.forEach((v, i) => {
        if (variants.has(v)) ctx.addIssue({ code: 'custom', path: ['metaPrompt', i], message: `"${v}" is listed twice` });
        variants.add(v);
      });
    }
    for (const p of evaluateCrossChecks(c.evaluate, [...seen])) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    for (const p of metricsCrossChecks(c, [...seen])) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    for (const id of Object.keys(c.budget.perGenerator ?? {})) {
      if (!seen.has(id)) ctx.addIssue({ code: 'custom', path: ['budget', 'perGenerator', id], message: `no generator has id "${id}"` });
    }
  });

export type SweepConfig = z.infer<typeof sweepConfigSchema>;
export type GeneratorConfig = Conforms<SweepConfig['generators'][number], GeneratorSpec>;
export type SeedSource = z.infer<typeof seedSourceSchema>;
