import { promptSetup } from '../adapters/datasets/official-prompts.js';
import { resolveSeedSet, resolveSeeds } from '../adapters/datasets/seed-resolver.js';
import { HfError } from '../adapters/datasets/hf-http.js';
import { SeedDataError } from '../adapters/datasets/row-file.js';
import { loadBenchmarkItems } from '../adapters/benchmarks/benchmark-set.js';
import { resolveJudge } from '../adapters/llm/judge-target.js';
import { seedOptions } from '../workers/seed-options.js';
import { planGeneratorScores } from './plan-generator-scores.js';
import { resolveEvaluateConfig, type EvaluateConfig } from '../config/evaluate-schema.js';
import { trainConfigSchema } from '../config/train-schema.js';
import type { SweepConfig } from '../config/schema.js';
import { baselineSource } from '../core/evaluate/student-source.js';
import { metricsJudge } from '../config/metric-models.js';
import { difficultyRequest, qualityRequest } from '../core/metrics/judge-rubric.js';
import { planCellMetrics, type MetricsPlan } from '../core/plan-metrics.js';
import { cellSettings, metaPromptVariants, variantBudgetUsd, type MetaPromptChoice } from '../core/run-config.js';
import type { PlanBreakdown } from '../core/plan-breakdown.js';
import { plannedItems } from '../core/plan-benchmarks.js';
import { answerTokens, planServeGpuHours, planTrainGpuHours } from '../core/plan-gpu.js';
import { capChars, DEFAULT_JUDGED_LENGTHS, planJudge, type JudgedBenchmark, type JudgedBenchmarkLengths } from '../core/plan-judge.js';
import { sweepBreakdown, type BaselineStagesPlan, type CellStagesPlan } from '../core/plan-sweep.js';
import { lengthStats, planCell, type CellPlan, type TextLengths } from '../core/plan.js';
import type { SeedItem } from '../core/prompts/types.js';
import { addRanges, ZERO_RANGE, type UsdRange } from '../core/plan-breakdown.js';
import { DOMAIN_BENCHMARKS, parseSetting, type Domain, type SettingId } from '../core/setting.js';
import type { Db } from '../store/open-store.js';
import { applyPlannedTargets, writeMeta } from '../store/run-repo.js';

export interface PlannedCell {
  readonly generator: string;
  /** The cell's setting, with `@variant` for a meta-prompt ablation cell. */
  readonly setting: string;
  readonly target: number;
  /** The generation stage's calls. */
  readonly plan: CellPlan;
}

/** Estimates every cell's cost from its seed set's lengths and the prices; calls no API. */
export interface SweepPlan {
  readonly cells: PlannedCell[];
  /** Every cost component (generation, judge, GPU, baselines), per cell and in total. */
  readonly breakdown: PlanBreakdown;
  /** Settings whose paper-sized seed set is not at hand (not downloaded, not downloadable). */
  readonly unavailable: ReadonlyMap<SettingId, string>;
  /** Settings that run on less than the paper's seed set (an optional set cannot be had): how, and how to add it. */
  readonly seedNotes: ReadonlyMap<SettingId, string>;
  /** Why instruction-following cells have no judge cost planned (no judge configured), else undefined. */
  readonly judgeMissing?: string;
  /** Judged benchmarks planned from DEFAULT_JUDGED_LENGTHS because their files are not at hand. */
  readonly judgedDefaults: readonly JudgedBenchmark[];
}

const JUDGED: readonly JudgedBenchmark[] = ['alpaca_eval', 'arena_hard'];
const SYSTEM_CHARS = 32;
const ZERO_LENGTHS: TextLengths = { p10: 0, mean: 0, p90: 0 };

/** The judged benchmarks' items and text lengths, measured on their files when at hand. */
async function judgedLengths(
  evaluate: EvaluateConfig,
  baseDir: string,
): Promise<{ lengths: Record<JudgedBenchmark, JudgedBenchmarkLengths>; defaults: JudgedBenchmark[] }> {
  const defaults: JudgedBenchmark[] = [];
  const lengths = { ...DEFAULT_JUDGED_LENGTHS };
  for (const b of JUDGED) {
    try {
      const items = await loadBenchmarkItems(b, evaluate, { baseDir });
      const texts = items.map((i) =>
        i.benchmark === 'alpaca_eval'
          ? { instruction: i.instruction, response: i.referenceOutput }
          : i.benchmark === 'arena_hard'
            ? { instruction: i.question, response: i.baselineAnswer }
            : { instruction: '' },
      );
      const s = lengthStats(texts);
      lengths[b] = { items: items.length, prompt: s.instruction, reference: s.response };
    } catch {
      // Not at hand (or unreadable, which the evaluate stage reports): the public files' lengths.
      defaults.push(b);
      lengths[b] = { ...DEFAULT_JUDGED_LENGTHS[b], items: plannedItems(b, evaluate) };
    }
  }
  return { lengths, defaults };
}

const plus = (a: TextLengths, n: number): TextLengths => ({ p10: a.p10 + n, mean: a.mean + n, p90: a.p90 + n });
const sum = (a: TextLengths, b: TextLengths): TextLengths => ({ p10: a.p10 + b.p10, mean: a.mean + b.mean, p90: a.p90 + b.p90 });

/**
 * The metrics stage's paid calls per cell (core/plan-metrics.ts): the rubrics' own lengths are
 * measured on the requests the worker sends; undefined without `metrics:`.
 */
function metricsPlanner(config: SweepConfig): (domain: Domain, target: number, instruction: TextLengths, response: TextLengths) => MetricsPlan | undefined {
  const m = config.metrics;
  if (!m) return () => undefined;
  const judge = m.judge !== undefined ? metricsJudge(config) : undefined;
  const chars = (r: { messages: readonly { content: string }[] }) => r.messages.reduce((n, x) => n + x.content.length, 0);
  return (domain, target, instruction, response) => {
    const difficulty = difficultyRequest('', domain);
    return planCellMetrics({
      sample: Math.min(m.sampleSize, target),
      instruction,
      response,
      rubric: { difficultyChars: chars(difficulty), qualityChars: chars(qualityRequest('', '', domain)), maxTokens: difficulty.maxTokens },
      judge: judge && 'generator' in judge ? judge.generator.price : undefined,
      openJudge: m.openJudge?.price,
      embeddings: m.embeddings && { input: m.embeddings.price.input, output: 0 },
    });
  };
}

function metricsJudgeId(config: SweepConfig): string | undefined {
  if (config.metrics?.judge === undefined) return undefined;
  const j = metricsJudge(config);
  return 'generator' in j ? j.generator.id : undefined;
}

const NONE = { requests: 0, tokensIn: 0, tokensOut: 0, usd: 0 };
/** A fixed-budget cell's generation: its data was bought by its main cell. */
const NO_CALLS: CellPlan = { low: NONE, expected: NONE, high: NONE };

/**
 * Estimates every cell's cost (generation, judge, GPU) and the baselines' from the seed sets'
 * and benchmarks' lengths, the prices and the train and evaluate settings; calls no LLM API.
 * A bad seed file is an error (SeedDataError); a full seed set that cannot be had is
 * reported per setting, planned from the bundled set, and its cells are blocked.
 */

export async function planSweep(config: SweepConfig, configDir: string): Promise<SweepPlan> {
  // One template set per meta-prompt variant (a list makes the ablation's cells: core/run-config.ts cellSettings).
  const setups = new Map(metaPromptVariants(config.metaPrompt).map((v) => [v, promptSetup({ ...config, metaPrompt: v }, configDir)]));
  const mainVariant = metaPromptVariants(config.metaPrompt)[0]!;
  const seedsBySetting = new Map<SettingId, readonly SeedItem[]>();
  const unavailable = new Map<SettingId, string>();
  const seedNotes = new Map<SettingId, string>();
  const opts = seedOptions(config, configDir);
  for (const s of config.settings) {
    try {
      const set = await resolveSeedSet(s, config.seeds, opts);
      seedsBySetting.set(s, set.items);
      if (set.difference) seedNotes.set(s, set.difference);
    } catch (e) {
      if (!opts.full || config.seeds?.[s] || !(e instanceof HfError || e instanceof SeedDataError)) throw e;
      unavailable.set(s, `the paper's seed set is not at hand (${(e as Error).message}); run \`agora seeds fetch\``);
      seedsBySetting.set(s, await resolveSeeds(s, config.seeds, { ...opts, full: false }));
    }
  }
  // What a response in each domain looks like, for response generation (its seeds have none):
  // the domain's instance-generation seed responses (the sweep's own set, else the bundled one).
  const responseChars = new Map<Domain, TextLengths>();
  const domainResponses = async (domain: Domain): Promise<TextLengths> => {
    const known = responseChars.get(domain);
    if (known) return known;
    const own = seedsBySetting.get(`${domain}/instance` as SettingId);
    const items = own ?? (await resolveSeeds(`${domain}/instance` as SettingId, undefined, { ...opts, full: false }));
    const r = lengthStats(items).response;
    responseChars.set(domain, r);
    return r;
  };

  const evaluate = resolveEvaluateConfig(config);
  const train = trainConfigSchema.parse(config.train ?? {});
  const judge = resolveJudge(config);
  const needsJudge = config.settings.some((s) => s.startsWith('inst/'));
  const judged = needsJudge ? await judgedLengths(evaluate, configDir) : undefined;
  const judgeBenchmarks = judged ? JUDGED.map((benchmark) => ({ benchmark, lengths: judged.lengths[benchmark] })) : [];
  const cap = (l: TextLengths) => capChars(l, evaluate.inference.maxTokens);
  const planJudgeFor = (student: TextLengths | 'as-reference') =>
    judged && !('missing' in judge)
      ? planJudge({
          benchmarks: judgeBenchmarks.map((j) => (student === 'as-reference' ? { ...j, student: cap(j.lengths.reference) } : j)),
          student: student === 'as-reference' ? ZERO_LENGTHS : cap(student),
          price: judge.generator.price,
        })
      : undefined;
  // The GPU stages: nothing on a GPU when training runs on the CPU (the student is then served there too).
  const onGpu = train.device !== 'cpu';
  const serveHours = (domain: Domain, answerChars: TextLengths, model: string): UsdRange => {
    if (!onGpu) return ZERO_RANGE;
    const capped = capChars(answerChars, evaluate.inference.maxTokens);
    const tokens = addRanges(...DOMAIN_BENCHMARKS[domain].map((b) => answerTokens(plannedItems(b, evaluate), capped)));
    return planServeGpuHours(tokens, model);
  };

  const metricsFor = metricsPlanner(config);
  const cells: PlannedCell[] = [];
  const stages: CellStagesPlan[] = [];
  for (const g of config.generators) {
    for (const s of cellSettings(config)) {
      const { id: base, domain, method, variant: cellVariant } = parseSetting(s);
      const seeds = seedsBySetting.get(base) ?? [];
      // A fixed-budget cell buys nothing: it trains on at most the main cell's data (planned at that size, a bound).
      const budgetCell = variantBudgetUsd(cellVariant) !== undefined;
      const { templates, variant } = setups.get((budgetCell ? mainVariant : (cellVariant ?? mainVariant)) as MetaPromptChoice)!;
      const template = templates[variant]?.[method]?.[domain] ?? '';
      // A missing paper-sized set is planned at full size, not at the bundled set's.
      const target = method === 'instance' || unavailable.has(base) ? config.instancesPerCell : Math.min(config.instancesPerCell, seeds.length);
      const stats = lengthStats(seeds);
      const response = stats.response.mean > 0 ? stats.response : await domainResponses(domain);
      const plan = budgetCell
        ? NO_CALLS
        : planCell({
            method,
            target,
            templateChars: template.replace(/\{\{[^}]*\}\}/g, '').length,
            seeds: stats,
            price: g.price,
            maxTokens: config.generation.maxTokens,
            responseChars: response,
            batch: g.batch,
          });
      cells.push({ generator: g.id, setting: s, target, plan });
      // The student learns from instructions and responses like these, and answers about as long.
      const examples = target + (method === 'instance' ? seeds.length : 0);
      const trainHours = onGpu
        ? planTrainGpuHours({
            examples,
            exampleChars: plus(sum(stats.instruction, response), SYSTEM_CHARS),
            epochs: train.hyperparameters.epochs,
            gpusPerJob: train.gpusPerJob,
            baseModel: train.baseModel,
            packing: train.hyperparameters.packing,
          })
        : ZERO_RANGE;
      stages.push({
        generator: g.id,
        setting: s,
        generation: plan,
        judge: domain === 'inst' ? planJudgeFor(response) : undefined,
        gpuHours: { train: trainHours, evaluate: serveHours(domain, response, train.baseModel) },
        metrics: metricsFor(domain, budgetCell ? 0 : target, stats.instruction, response),
      });
    }
  }

  // Baselines are evaluated once per run on each domain's benchmarks; they answer about as long
  // as the benchmarks' GPT-4 answers (math and code: as the domain's seed responses).
  const domains = [...new Set(config.settings.map((s) => parseSetting(s).domain))];
  const baselines: BaselineStagesPlan[] = [];
  for (const subject of ['base', 'reference'] as const) {
    const source = baselineSource(subject, evaluate);
    if (!source) continue;
    let hours = ZERO_RANGE;
    for (const d of domains) {
      const answers = d === 'inst' && judged ? judged.lengths.alpaca_eval.reference : await domainResponses(d);
      if (source.kind === 'checkpoint') hours = addRanges(hours, serveHours(d, answers, source.checkpoint));
    }
    const judgePlan = domains.includes('inst') ? planJudgeFor('as-reference') : undefined;
    baselines.push({ subject, judge: judgePlan, gpuHours: hours });
  }
  const generatorScores = await planGeneratorScores(config, evaluate, configDir, domains, domainResponses, () => planJudgeFor('as-reference'));
  const breakdown = sweepBreakdown({
    cells: stages,
    baselines,
    generatorScores,
    judgeGenerator: 'missing' in judge ? undefined : judge.generator.id,
    metricsJudgeGenerator: metricsJudgeId(config),
    gpuHourUsd: train.gpuHourUsd,
  });
  return {
    cells,
    breakdown,
    unavailable,
    seedNotes,
    judgedDefaults: judged?.defaults ?? [],
    ...(needsJudge && 'missing' in judge && { judgeMissing: judge.missing }),
  };
}

/** The plan's cost (every component, with its breakdown), and its targets for the cells that have not started (see applyPlannedTargets). */
export function storePlan(db: Db, plan: SweepPlan): void {
  const t = plan.breakdown.total;
  writeMeta(db, 'plan_json', JSON.stringify({ low: t.low, expected: t.expected, high: t.high, breakdown: plan.breakdown }));
  applyPlannedTargets(db, plan.cells);
}
