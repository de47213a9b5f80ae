import type { TrainSettings } from '../run-config.js';

/** Placeholders a `train.command` may use; every value is shell-quoted when substituted. */
export const TRAIN_PLACEHOLDERS = [
  'data',
  'output_dir',
  'progress_file',
  'base_model',
  'chat_template',
  'gpus',
  'sft_script',
  'epochs',
  'lr',
  'max_length',
  'batch_size',
  'grad_accum',
  'seed',
  'warmup_ratio',
  'lr_scheduler',
  'lr_decay',
  'packing',
  'system_message',
  'python',
  'fsdp',
  'gradient_checkpointing',
] as const;
export type TrainPlaceholder = (typeof TRAIN_PLACEHOLDERS)[number];

export class UnknownPlaceholderError extends Error {
  constructor(
    readonly placeholder: string,
    readonly known: readonly string[],
  ) {
    super(`unknown placeholder {${placeholder}} in command; known: ${known.map((k) => `{${k}}`).join(' ')}`);
    this.name = 'UnknownPlaceholderError';
  }
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX single-quote quoting; plain words stay readable in logs. */
export function shellQuote(value: string): string {
  if (value !== '' && SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// `${VAR}` is the shell's, not ours: a `{` right after `$` is left alone.
const PLACEHOLDER = /(?<!\$)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names the placeholders a template uses, in order of first use. */
export function placeholdersIn(template: string): string[] {
  const seen = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) seen.add(m[1] as string);
  return [...seen];
}

/**
 * Fills `{name}` placeholders with shell-quoted values. Throws UnknownPlaceholderError for a
 * name not in `values`, so a typo in the config fails before any job starts.
 */
export function expandCommand(template: string, values: Readonly<Record<string, string | number | boolean>>): string {
  return template.replace(PLACEHOLDER, (_whole, name: string) => {
    if (!Object.hasOwn(values, name)) throw new UnknownPlaceholderError(name, Object.keys(values));
    return shellQuote(String(values[name]));
  });
}

/** Paths of one training job; the caller decides where they live (the cell's folder). */
export interface TrainJobPaths {
  readonly data: string;
  readonly outputDir: string;
  readonly progressFile: string;
  /** Absolute path of python/sft/sft.py in this checkout. */
  readonly sftScript: string;
}

export function trainTemplateValues(config: TrainSettings, paths: TrainJobPaths): Record<TrainPlaceholder, string> {
  const h = config.hyperparameters;
  return {
    data: paths.data,
    output_dir: paths.outputDir,
    progress_file: paths.progressFile,
    base_model: config.baseModel,
    // Empty: the SFT script uses the base model's own template (llama3 when it has none).
    chat_template: config.chatTemplate ?? '',
    // On the CPU one process trains (accelerate's --num_processes).
    gpus: String(config.device === 'cpu' ? 1 : config.gpusPerJob),
    sft_script: paths.sftScript,
    epochs: String(h.epochs),
    lr: String(h.lr),
    max_length: String(h.maxLength),
    batch_size: String(h.perDeviceBatchSize),
    grad_accum: String(h.gradientAccumulation),
    seed: String(h.seed),
    warmup_ratio: String(h.warmupRatio),
    lr_scheduler: h.lrScheduler,
    lr_decay: String(h.lrDecay),
    packing: String(h.packing),
    system_message: h.systemMessage,
    python: config.python,
    fsdp: h.fsdp,
    gradient_checkpointing: String(h.gradientCheckpointing),
  };
}

/** The shell command of one training job, from `train.command` (or agora's default). */
export function buildTrainCommand(config: TrainSettings, paths: TrainJobPaths): string {
  return expandCommand(config.command, trainTemplateValues(config, paths));
}
