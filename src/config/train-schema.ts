import { z } from 'zod';
import { RUNNER_KINDS } from '../core/job-runner-port.js';
import { TRAIN_DEVICES, type SlurmSettings, type TrainSettings } from '../core/run-config.js';
import type { Conforms } from './conforms.js';

/**
 * The trainer agora runs by default: its own SFT script (python/sft/sft.py) under
 * `accelerate launch`, run as a module of `train.python` so that interpreter's packages are
 * the ones used. `--main_process_port 0` lets accelerate pick a free port, so two jobs on one
 * machine do not collide on 29500. Every `{name}` is filled in (shell-quoted) by
 * `expandCommand` in src/core/train/command-template.ts.
 */
export const DEFAULT_TRAIN_COMMAND = [
  '{python} -m accelerate.commands.launch --num_processes {gpus} --main_process_port 0 {sft_script}',
  '--data {data} --output-dir {output_dir} --progress-file {progress_file}',
  '--base-model {base_model} --chat-template {chat_template}',
  '--epochs {epochs} --lr {lr} --max-length {max_length}',
  '--per-device-batch-size {batch_size} --grad-accum {grad_accum} --seed {seed}',
  '--warmup-ratio {warmup_ratio} --lr-scheduler {lr_scheduler} --lr-decay {lr_decay}',
  '--packing {packing} --system-message {system_message}',
  '--fsdp {fsdp} --gradient-checkpointing {gradient_checkpointing}',
].join(' ');

/** The system message the official recipe puts in every training conversation (in agora's words). */
export const DEFAULT_SYSTEM_MESSAGE = 'You are a helpful AI assistant.';

/**
 * The paper's SFT recipe (DESIGN.md: bf16, 5 epochs, 4096, 1e-5, 4 x 8, seed 42; the official
 * code packs examples, decays the lr by 0.85 each epoch with no warmup and sets a system
 * message). agora's earlier recipe: packing false, lrScheduler linear, warmupRatio 0.03,
 * systemMessage "".
 */
export const hyperparametersSchema = z
  .object({
    epochs: z.number().positive().default(5),
    lr: z.number().positive().default(1e-5),
    maxLength: z.number().int().positive().default(4096),
    perDeviceBatchSize: z.number().int().positive().default(4),
    gradientAccumulation: z.number().int().positive().default(8),
    seed: z.number().int().default(42),
    warmupRatio: z.number().min(0).max(1).default(0),
    /** `step`: lr x lrDecay after each epoch (the paper's); or a transformers schedule, e.g. linear or cosine. */
    lrScheduler: z
      .string()
      .regex(/^[a-z_]+$/, 'step, or a transformers scheduler name, e.g. linear or cosine')
      .default('step'),
    lrDecay: z.number().gt(0).max(1).default(0.85),
    /** Examples packed into maxLength-token sequences (the paper's); false: one padded example per row. */
    packing: z.boolean().default(true),
    /** The system turn of every training conversation without one, kept in the saved chat template; "" for none. */
    systemMessage: z.string().default(DEFAULT_SYSTEM_MESSAGE),
    /** `auto`: full_shard auto_wrap when more than one process trains, off otherwise. */
    fsdp: z.string().default('auto'),
    gradientCheckpointing: z.boolean().default(true),
  })
  .strict();

const slurmTime = z
  .string()
  .regex(/^(\d+|\d+:\d{2}|\d+:\d{2}:\d{2}|\d+-\d+|\d+-\d+:\d{2}|\d+-\d+:\d{2}:\d{2})$/, 'a Slurm time: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS');

export const slurmConfigSchema = z
  .object({
    partition: z.string().min(1).optional(),
    /** Overrides the `--gres=gpu:<gpusPerJob>` line, e.g. `gpu:a100:4`. */
    gres: z.string().min(1).optional(),
    /** GPUs one node has; a job asking for more spans nodes, which the SFT script does not do. */
    gpusPerNode: z.number().int().positive().optional(),
    time: slurmTime.optional(),
    account: z.string().min(1).optional(),
    qos: z.string().min(1).optional(),
    cpusPerTask: z.number().int().positive().optional(),
    mem: z
      .string()
      .regex(/^\d+[KMGT]?$/, 'a Slurm memory size such as 64G or 0 (all)')
      .optional(),
    /** Further `#SBATCH` options, with or without the `#SBATCH ` prefix. */
    extraSbatch: z.array(z.string()).default([]),
    /** Shell lines run before the trainer (module load, conda activate, exports). */
    setup: z.array(z.string()).default([]),
  })
  .strict();

/** The `train:` section. The defaults are the paper's training setup (DESIGN.md). */
export const trainConfigSchema = z
  .object({
    runner: z.enum(RUNNER_KINDS).default('local'),
    /** `cpu`: train on this machine's CPU, one job at a time, no GPU asked for (the tiny model, smoke runs). */
    device: z.enum(TRAIN_DEVICES).default('gpu'),
    /** The interpreter the default command runs (one with torch, transformers and accelerate). */
    python: z.string().min(1).default('python3'),
    command: z.string().min(1).default(DEFAULT_TRAIN_COMMAND),
    /** A Hugging Face model id or folder; `tiny-random`: a 2-layer random Llama made on the spot (no download). */
    baseModel: z.string().min(1).default('meta-llama/Llama-3.1-8B'),
    /** `llama3`, a path to a Jinja file, or unset for the base model's own template. */
    chatTemplate: z.string().min(1).optional(),
    /** GPUs this machine offers to local jobs; unset means count them with nvidia-smi. */
    gpus: z.number().int().nonnegative().optional(),
    gpusPerJob: z.number().int().positive().default(4),
    gpuHourUsd: z.number().nonnegative().optional(),
    /** Minutes before a job is stopped (Slurm time limit); unset means no limit. */
    timeLimitMinutes: z.number().int().positive().optional(),
    hyperparameters: hyperparametersSchema.default(hyperparametersSchema.parse({})),
    slurm: slurmConfigSchema.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.device === 'cpu' && t.runner !== 'local') {
      ctx.addIssue({ code: 'custom', path: ['device'], message: 'device: cpu trains on this machine; use runner: local' });
    }
    const perNode = t.slurm?.gpusPerNode;
    if (perNode !== undefined && t.gpusPerJob > perNode) {
      ctx.addIssue({
        code: 'custom',
        path: ['gpusPerJob'],
        message: `${t.gpusPerJob} GPUs per job do not fit on one node of ${perNode} (slurm.gpusPerNode); the SFT script trains on one node`,
      });
    }
  });

export type TrainConfig = Conforms<z.infer<typeof trainConfigSchema>, TrainSettings>;
export type SlurmConfig = Conforms<z.infer<typeof slurmConfigSchema>, SlurmSettings>;
