import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { trainConfigSchema } from '../../config/train-schema.js';
import { trainJobSpec } from './train-job.js';
import { buildTrainCommand, expandCommand, placeholdersIn, shellQuote, TRAIN_PLACEHOLDERS, UnknownPlaceholderError } from './command-template.js';

/** What /bin/sh makes of a quoted word: the test runs a real shell. */
function shWords(command: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `for a in ${command}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('leaves plain words alone and quotes everything else so the shell gives it back unchanged', () => {
    expect(shellQuote('/data/run-1/train.jsonl')).toBe('/data/run-1/train.jsonl');
    const nasty = ["it's", 'a b', '$(rm -rf /)', '`id`', '', 'semi;colon', 'new\nline', '*', "''"];
    for (const v of nasty) {
      expect(shWords(shellQuote(v))).toEqual([v]);
    }
  });
});

describe('expandCommand', () => {
  it('fills placeholders with quoted values and leaves the shell its ${VAR}', () => {
    const cmd = expandCommand('train --data {data} --n {n} --home ${HOME}', { data: "/tmp/my data's", n: 3 });
    expect(cmd).toBe(`train --data '/tmp/my data'\\''s' --n 3 --home \${HOME}`);
  });

  it('names an unknown placeholder and the known ones', () => {
    let err: unknown;
    try {
      expandCommand('run {data} {ouput_dir}', { data: 'x', output_dir: 'y' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownPlaceholderError);
    expect((err as Error).message).toBe('unknown placeholder {ouput_dir} in command; known: {data} {output_dir}');
  });

  it('lists the placeholders a template uses', () => {
    expect(placeholdersIn('a {x} {y} {x} ${Z}')).toEqual(['x', 'y']);
  });
});

describe('buildTrainCommand', () => {
  const paths = {
    data: '/runs/s/cells/g1/math-instance/train.jsonl',
    outputDir: '/runs/s/ckpt dir',
    progressFile: '/runs/s/p.jsonl',
    sftScript: '/opt/agora/python/sft/sft.py',
  };

  it('builds the default accelerate command with the paper hyperparameters', () => {
    const cmd = buildTrainCommand(trainConfigSchema.parse({}), paths);
    expect(cmd).toContain('python3 -m accelerate.commands.launch --num_processes 4 --main_process_port 0 /opt/agora/python/sft/sft.py');
    expect(cmd).toContain("--output-dir '/runs/s/ckpt dir'");
    expect(cmd).toContain('--base-model meta-llama/Llama-3.1-8B');
    expect(cmd).toContain("--chat-template ''");
    for (const flag of [
      '--epochs 5',
      '--lr 0.00001',
      '--max-length 4096',
      '--per-device-batch-size 4',
      '--grad-accum 8',
      '--seed 42',
      '--warmup-ratio 0 ',
      '--lr-scheduler step',
      '--lr-decay 0.85',
      '--packing true',
      "--system-message 'You are a helpful AI assistant.'",
    ]) {
      expect(cmd).toContain(flag);
    }
  });

  it('runs one process on the CPU with the configured interpreter, and passes the earlier recipe when asked', () => {
    const config = trainConfigSchema.parse({
      device: 'cpu',
      python: '/v env/bin/python',
      baseModel: 'tiny-random',
      hyperparameters: { packing: false, lrScheduler: 'linear', warmupRatio: 0.03, systemMessage: '' },
    });
    const cmd = buildTrainCommand(config, paths);
    expect(cmd).toMatch(/^'\/v env\/bin\/python' -m accelerate\.commands\.launch --num_processes 1 /);
    for (const flag of ['--base-model tiny-random', '--packing false', '--lr-scheduler linear', '--warmup-ratio 0.03', "--system-message ''"])
      expect(cmd).toContain(flag);
  });

  it('uses a configured command and overrides', () => {
    const config = trainConfigSchema.parse({
      command: 'torchrun --nproc-per-node {gpus} my_sft.py {data} {output_dir} --lr {lr} --epochs {epochs}',
      gpusPerJob: 2,
      hyperparameters: { lr: 2e-5, epochs: 3 },
    });
    expect(buildTrainCommand(config, paths)).toBe(
      "torchrun --nproc-per-node 2 my_sft.py /runs/s/cells/g1/math-instance/train.jsonl '/runs/s/ckpt dir' --lr 0.00002 --epochs 3",
    );
  });

  it('rejects a configured command with a typo before anything runs', () => {
    const config = trainConfigSchema.parse({ command: 'python sft.py --data {dataset}' });
    expect(() => buildTrainCommand(config, paths)).toThrow(/unknown placeholder \{dataset\}/);
  });

  it('the default command uses only known placeholders', () => {
    expect(placeholdersIn(trainConfigSchema.parse({}).command).every((p) => (TRAIN_PLACEHOLDERS as readonly string[]).includes(p))).toBe(true);
  });
});

describe('trainJobSpec', () => {
  it('makes a runner-ready spec from the config', () => {
    const config = trainConfigSchema.parse({ gpusPerJob: 2, timeLimitMinutes: 600 });
    const spec = trainJobSpec(config, {
      name: 'train g1 math/instance',
      cwd: '/opt/agora',
      logFile: '/runs/s/train.log',
      data: '/runs/s/train.jsonl',
      outputDir: '/runs/s/ckpt',
      progressFile: '/runs/s/progress.jsonl',
      sftScript: '/opt/agora/python/sft/sft.py',
      env: { HF_HOME: '/cache' },
    });
    expect(spec).toMatchObject({ name: 'train g1 math/instance', cwd: '/opt/agora', gpus: 2, timeLimitMinutes: 600, progressFile: '/runs/s/progress.jsonl' });
    expect(spec.env).toEqual({ PYTHONUNBUFFERED: '1', HF_HOME: '/cache' });
    expect(spec.command).toContain('--num_processes 2');
  });

  it('pins a GPU job to its devices and hides the GPUs from a CPU job', () => {
    const input = { name: 't', cwd: '/', logFile: '/l', data: '/d', outputDir: '/o', progressFile: '/p', sftScript: '/s' };
    const gpu = trainJobSpec(trainConfigSchema.parse({ gpusPerJob: 1 }), { ...input, cudaVisibleDevices: '1' });
    expect(gpu).toMatchObject({ gpus: 1, env: { CUDA_VISIBLE_DEVICES: '1' } });
    expect(trainJobSpec(trainConfigSchema.parse({}), input).env).not.toHaveProperty('CUDA_VISIBLE_DEVICES');
    expect(trainJobSpec(trainConfigSchema.parse({ device: 'cpu' }), input)).toMatchObject({ gpus: 0, env: { CUDA_VISIBLE_DEVICES: '' } });
  });
});
