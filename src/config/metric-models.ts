import type { MetricsConfig } from './metrics-schema.js';
import type { GeneratorConfig, SweepConfig } from './schema.js';
import { resolveEvaluateConfig } from './evaluate-schema.js';
import { resolveJudge } from '../adapters/llm/judge-target.js';
import type { MetricId } from '../core/metrics/metric-ids.js';

/** The models of the `metrics:` section, each with the metrics it gives, in the order they are measured. */
export const METRIC_MODELS = [
  { name: 'judge', metrics: ['difficulty.judge', 'quality.judge'] },
  { name: 'embeddings', metrics: ['diversity.instruction', 'diversity.response'] },
  { name: 'openJudge', metrics: ['difficulty.openJudge', 'quality.openJudge'] },
  { name: 'perplexity', metrics: ['difficulty.perplexity'] },
  { name: 'reward', metrics: ['quality.reward'] },
] as const satisfies readonly { name: keyof MetricsConfig; metrics: readonly MetricId[] }[];

export type MetricModelName = (typeof METRIC_MODELS)[number]['name'];

/** The configured models, in measuring order. */
export function configuredModels(m: MetricsConfig): (typeof METRIC_MODELS)[number][] {
  return METRIC_MODELS.filter((x) => m[x.name] !== undefined);
}

/** Every metric the section asks for. */
export function configuredMetrics(m: MetricsConfig): MetricId[] {
  return configuredModels(m).flatMap((x) => [...x.metrics]);
}

/**
 * The LLM judge of the metrics as a provider config: `judge: true` is evaluate.judge; an object
 * names a generator (default: evaluate.judge's) and may override its model and price.
 */
export function metricsJudge(config: SweepConfig): { generator: GeneratorConfig } | { missing: string } {
  const j = config.metrics?.judge;
  if (j === undefined) return { missing: 'metrics.judge is not configured' };
  const named = j === true ? undefined : j.generator;
  let base: GeneratorConfig | undefined;
  if (named !== undefined) base = config.generators.find((g) => g.id === named);
  else {
    const t = resolveJudge(config);
    if ('missing' in t) return { missing: `metrics.judge: ${t.missing}` };
    base = t.generator;
  }
  if (!base) return { missing: `metrics.judge.generator "${String(named)}" is not a generator of this sweep` };
  if (j === true) return { generator: base };
  return { generator: { ...base, ...(j.model && { model: j.model }), ...(j.price && { price: j.price }) } };
}

/** The embeddings model as a provider config (its key resolves like a generator's). */
export function embeddingsProvider(m: MetricsConfig): GeneratorConfig | undefined {
  const e = m.embeddings;
  if (!e) return undefined;
  return {
    id: `embeddings:${e.model}`,
    provider: e.provider,
    model: e.model,
    ...(e.baseURL !== undefined && { baseURL: e.baseURL }),
    ...(e.apiKeyEnv !== undefined && { apiKeyEnv: e.apiKeyEnv }),
    price: { input: e.price.input, output: 0 },
    concurrency: m.concurrency,
    timeoutSeconds: 120,
    maxRetries: 6,
  };
}

/** Where a served metric model comes from: its own endpoint or checkpoint, else (perplexity) the base student's. */
export function servedSource(
  config: SweepConfig,
  name: Exclude<MetricModelName, 'judge' | 'embeddings'>,
): { endpoint: string } | { checkpoint: string; serveCommand: string } | { missing: string } {
  const evaluate = resolveEvaluateConfig(config);
  const s = config.metrics?.[name];
  if (!s) return { missing: `metrics.${name} is not configured` };
  if (s.endpoint) return { endpoint: s.endpoint };
  const base = evaluate.baselines.base;
  if (s.checkpoint) return { checkpoint: s.checkpoint, serveCommand: s.serveCommand ?? evaluate.serveCommand };
  if (name === 'perplexity' && base.endpoint) return { endpoint: base.endpoint };
  if (name === 'perplexity' && base.checkpoint)
    return { checkpoint: base.checkpoint, serveCommand: s.serveCommand ?? base.serveCommand ?? evaluate.serveCommand };
  return { missing: `metrics.${name} has no endpoint or checkpoint` };
}
