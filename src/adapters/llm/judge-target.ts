import { resolveEvaluateConfig } from '../../config/evaluate-schema.js';
import type { GeneratorConfig, SweepConfig } from '../../config/schema.js';
import { missingKeyReason } from './api-key.js';

/** The judge as a provider config (model and price overrides applied) and how many items it takes at once. */
export interface JudgeTarget {
  readonly generator: GeneratorConfig;
  readonly concurrency: number;
}

export function resolveJudge(config: SweepConfig): JudgeTarget | { readonly missing: string } {
  const judge = resolveEvaluateConfig(config).judge;
  if (!judge) return { missing: 'evaluate.judge is not configured (AlpacaEval 2.0 and Arena-Hard are graded by an LLM judge)' };
  const g = typeof judge.generator === 'string' ? config.generators.find((x) => x.id === judge.generator) : judge.generator;
  if (!g) return { missing: `evaluate.judge.generator "${String(judge.generator)}" is not a generator of this sweep` };
  const generator: GeneratorConfig = { ...g, ...(judge.model && { model: judge.model }), ...(judge.price && { price: judge.price }) };
  return { generator, concurrency: judge.concurrency ?? generator.concurrency };
}

/** Why the judge cannot be used now (not configured, unknown generator, no key), or undefined. */
export function judgeBlockedReason(config: SweepConfig, env: NodeJS.ProcessEnv): string | undefined {
  const j = resolveJudge(config);
  if ('missing' in j) return j.missing;
  const key = missingKeyReason(j.generator, env);
  return key && `judge ${j.generator.id}: ${key}`;
}
