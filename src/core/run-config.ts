import type { RunnerKind } from './job-runner-port.js';
import { META_PROMPT_VARIANTS } from './prompts/types.js';
import { variantSetting, type BenchmarkId, type SettingId } from './setting.js';

/**
 * The run configuration as the domain reads it: the one source of its enums and shapes.
 * src/config's zod schemas take their enums from these arrays and check at compile time that
 * what they parse is assignable to these types (config/conforms.ts), so the two cannot drift.
 * Only the fields core reads are declared; the schemas may hold more.
 */

export const PROVIDER_KINDS = ['openai', 'anthropic', 'openai-compatible'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** agora's three prompt styles, or the official repository's prompt files. */
export const META_PROMPT_CHOICES = [...META_PROMPT_VARIANTS, 'official'] as const;

export type MetaPromptChoice = (typeof META_PROMPT_CHOICES)[number];

/** The meta-prompt variants of a sweep, the main one first (metaPrompt: one choice, or a list for the ablation). */
export function metaPromptVariants(metaPrompt: MetaPromptChoice | readonly MetaPromptChoice[]): readonly MetaPromptChoice[] {
  return typeof metaPrompt === 'string' ? [metaPrompt] : metaPrompt;
}

/**
 * The fixed-budget study's variant for a dollar amount (the paper's Figure 7): `usd5`, `usd2.5`.
 * Such a cell trains on the prefix of its main cell's data that the amount buys at the price
 * the main cell's generation measured; it makes no API call of its own.
 */
export function budgetVariant(usd: number): string {
  return `usd${usd}`;
}

/** The dollar amount of a fixed-budget cell's variant, or undefined for any other variant. */
export function variantBudgetUsd(variant: string | undefined): number | undefined {
  const m = variant === undefined ? null : /^usd(\d+(?:\.\d+)?)$/.exec(variant);
  return m ? Number(m[1]) : undefined;
}

interface VariantConfig {
  readonly settings: readonly SettingId[];
  readonly metaPrompt: MetaPromptChoice | readonly MetaPromptChoice[];
  readonly fixedBudget?: { readonly usd: readonly number[] } | undefined;
}

/** The variants beyond the main sweep, each a row of cells per generator: the meta-prompt ablation's, then the fixed budgets'. */
export function extraVariants(config: VariantConfig): readonly string[] {
  const [, ...others] = metaPromptVariants(config.metaPrompt);
  return [...others, ...(config.fixedBudget?.usd ?? []).map(budgetVariant)];
}

/** Every cell setting of one generator: the main sweep's plain settings, then each further variant's `setting@variant`. */
export function cellSettings(config: VariantConfig): readonly string[] {
  return [...config.settings, ...extraVariants(config).flatMap((v) => config.settings.map((s) => variantSetting(s, v)))];
}

export const SEED_SET_CHOICES = ['bundled', 'paper'] as const;

export const TRAIN_DEVICES = ['gpu', 'cpu'] as const;
export type TrainDevice = (typeof TRAIN_DEVICES)[number];

export const MATH_VARIANTS = ['math500', 'full'] as const;
export const MBPP_VARIANTS = ['evalplus', 'original'] as const;

export const BASELINE_SUBJECTS = ['base', 'reference'] as const;
export type BaselineSubject = (typeof BASELINE_SUBJECTS)[number];

/** USD per 1M tokens. */
export interface Price {
  readonly input: number;
  readonly output: number;
}

/** A model that generates data (or judges): who serves it, what it costs, how hard to push it. */
export interface GeneratorSpec {
  readonly id: string;
  readonly provider: ProviderKind;
  readonly model: string;
  readonly baseURL?: string | undefined;
  readonly apiKeyEnv?: string | undefined;
  readonly price: Price;
  readonly concurrency: number;
  readonly timeoutSeconds: number;
  readonly maxRetries: number;
  readonly stream?: boolean | undefined;
  /** Send generation requests through the provider's batch API (half price, results within hours). */
  readonly batch?: boolean | undefined;
}

/** The SFT recipe's knobs, each filled into the train command (train/command-template.ts). */
export interface Hyperparameters {
  readonly epochs: number;
  readonly lr: number;
  readonly maxLength: number;
  readonly perDeviceBatchSize: number;
  readonly gradientAccumulation: number;
  readonly seed: number;
  readonly warmupRatio: number;
  readonly lrScheduler: string;
  readonly lrDecay: number;
  readonly packing: boolean;
  readonly systemMessage: string;
  readonly fsdp: string;
  readonly gradientCheckpointing: boolean;
}

/** The `#SBATCH` options of a Slurm train job (train/slurm-script.ts). */
export interface SlurmSettings {
  readonly partition?: string | undefined;
  readonly gres?: string | undefined;
  readonly gpusPerNode?: number | undefined;
  readonly time?: string | undefined;
  readonly account?: string | undefined;
  readonly qos?: string | undefined;
  readonly cpusPerTask?: number | undefined;
  readonly mem?: string | undefined;
  readonly extraSbatch: readonly string[];
  readonly setup: readonly string[];
}

/** The `train:` section with its defaults applied. */
export interface TrainSettings {
  readonly runner: RunnerKind;
  readonly device: TrainDevice;
  readonly python: string;
  readonly command: string;
  readonly baseModel: string;
  readonly chatTemplate?: string | undefined;
  readonly gpus?: number | undefined;
  readonly gpusPerJob: number;
  readonly gpuHourUsd?: number | undefined;
  readonly timeLimitMinutes?: number | undefined;
  readonly hyperparameters: Hyperparameters;
  readonly slurm?: SlurmSettings | undefined;
}

/** A baseline student's source fields (evaluate/student-source.ts). */
export interface BaselineSettings {
  readonly checkpoint?: string | undefined;
  readonly endpoint?: string | undefined;
  readonly serveCommand?: string | undefined;
}

/** The parts of the `evaluate:` section (defaults applied) that core reads. */
export interface EvaluateSettings {
  readonly serveCommand: string;
  readonly endpoint?: string | undefined;
  readonly math: (typeof MATH_VARIANTS)[number];
  readonly mbpp: (typeof MBPP_VARIANTS)[number];
  readonly benchmarks: Readonly<Partial<Record<BenchmarkId, { readonly dataFile?: string | undefined; readonly limit?: number | undefined }>>>;
  readonly baselines: Readonly<Record<BaselineSubject, BaselineSettings>>;
}
