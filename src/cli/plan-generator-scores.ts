import { loadBenchmarkItems } from '../adapters/benchmarks/benchmark-set.js';
import type { EvaluateConfig } from '../config/evaluate-schema.js';
import type { SweepConfig } from '../config/schema.js';
import type { BenchmarkItem } from '../core/grade/types.js';
import { plannedItems } from '../core/plan-benchmarks.js';
import { DEFAULT_JUDGED_LENGTHS, type JudgePlan } from '../core/plan-judge.js';
import { planSolve, SOLVE_PROMPT_DEFAULTS, type SolveBenchmark } from '../core/plan-solve.js';
import type { GeneratorScoreStagesPlan } from '../core/plan-sweep.js';
import { lengthStats, type TextLengths } from '../core/plan.js';
import { DOMAIN_BENCHMARKS, type BenchmarkId, type Domain } from '../core/setting.js';
import { scoredGenerators } from '../store/generator-scores.js';

/** The GPT-4 answer a judged item is compared with: what a strong generator's answer is planned as long as. */
function referenceText(i: BenchmarkItem): string {
  return i.benchmark === 'alpaca_eval' ? i.referenceOutput : i.benchmark === 'arena_hard' ? i.baselineAnswer : '';
}

/** A benchmark's items and lengths as the generators are asked it: measured on its file when at hand, else the public files'. */
async function solveBenchmark(
  benchmark: BenchmarkId,
  domain: Domain,
  evaluate: EvaluateConfig,
  configDir: string,
  domainResponses: (d: Domain) => Promise<TextLengths>,
): Promise<SolveBenchmark> {
  const judged = benchmark === 'alpaca_eval' || benchmark === 'arena_hard';
  try {
    const items = await loadBenchmarkItems(benchmark, evaluate, { baseDir: configDir });
    const prompt = lengthStats(items.map((i) => ({ instruction: i.prompt }))).instruction;
    const answer = judged ? lengthStats(items.map((i) => ({ instruction: referenceText(i) }))).instruction : await domainResponses(domain);
    return { benchmark, items: items.length, prompt, answer };
  } catch {
    // Not at hand (the evaluate stage reports why): agora's prompts on the public files.
    const answer = judged ? DEFAULT_JUDGED_LENGTHS[benchmark].reference : await domainResponses(domain);
    return { benchmark, items: plannedItems(benchmark, evaluate), prompt: SOLVE_PROMPT_DEFAULTS[benchmark], answer };
  }
}

/**
 * Each generator of evaluate.generatorScores answering the benchmarks of the sweep's domains
 * once, at its price, and the judge grading its instruction-following answers (`judge`: the
 * plan of judging one model that answers like GPT-4, as for a baseline; undefined without one).
 */
export async function planGeneratorScores(
  config: SweepConfig,
  evaluate: EvaluateConfig,
  configDir: string,
  domains: readonly Domain[],
  domainResponses: (d: Domain) => Promise<TextLengths>,
  judge: () => JudgePlan | undefined,
): Promise<GeneratorScoreStagesPlan[]> {
  const generators = scoredGenerators(config);
  if (generators.length === 0) return [];
  const benchmarks: SolveBenchmark[] = [];
  for (const d of domains) for (const b of DOMAIN_BENCHMARKS[d]) benchmarks.push(await solveBenchmark(b, d, evaluate, configDir, domainResponses));
  const judgePlan = domains.includes('inst') ? judge() : undefined;
  return generators.map((g) => ({ generator: g.id, solve: planSolve(benchmarks, g.price, evaluate.inference.maxTokens), judge: judgePlan }));
}
