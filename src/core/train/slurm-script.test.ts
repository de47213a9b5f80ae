import { describe, expect, it } from 'vitest';
import { slurmConfigSchema } from '../../config/train-schema.js';
import type { JobSpec } from '../job-runner-port.js';
import { renderSbatchScript, sbatchArgs, sbatchDirectives } from './slurm-script.js';

const spec: JobSpec = {
  name: 'train gpt-4o/math-instance',
  command: "python sft.py --data '/d/train.jsonl'",
  cwd: '/shared/runs/s1',
  env: { HF_HOME: '/shared/hf cache' },
  logFile: '/shared/runs/s1/train.log',
  progressFile: '/shared/runs/s1/progress.jsonl',
  gpus: 4,
};

describe('sbatch script', () => {
  it('turns the slurm section into #SBATCH lines', () => {
    const slurm = slurmConfigSchema.parse({
      partition: 'gpu',
      account: 'lab',
      cpusPerTask: 32,
      mem: '256G',
      time: '2-00:00:00',
      extraSbatch: ['--constraint=a100', '#SBATCH --exclusive'],
    });
    expect(sbatchDirectives(spec, slurm)).toEqual([
      '#SBATCH --nodes=1',
      '#SBATCH --ntasks=1',
      '#SBATCH --partition=gpu',
      '#SBATCH --account=lab',
      '#SBATCH --gres=gpu:4',
      '#SBATCH --cpus-per-task=32',
      '#SBATCH --mem=256G',
      '#SBATCH --time=2-00:00:00',
      '#SBATCH --constraint=a100',
      '#SBATCH --exclusive',
    ]);
  });

  it('lets gres override the GPU count and asks for no GPU when the job needs none', () => {
    expect(sbatchDirectives(spec, slurmConfigSchema.parse({ gres: 'gpu:h100:4' }))).toContain('#SBATCH --gres=gpu:h100:4');
    expect(sbatchDirectives({ gpus: 0 }, undefined).some((l) => l.includes('gres'))).toBe(false);
  });

  it('runs setup, exports env quoted, and records the exit code in the exit file', () => {
    const script = renderSbatchScript(
      spec,
      slurmConfigSchema.parse({ setup: ['module load cuda/12.4', 'source ~/venv/bin/activate'] }),
      '/shared/runs/s1/train.log.exit',
    );
    expect(script.startsWith('#!/bin/bash\n#SBATCH --nodes=1\n')).toBe(true);
    expect(script).toContain('set -e\n# train.slurm.setup\nmodule load cuda/12.4\nsource ~/venv/bin/activate\nset +e\n');
    expect(script).toContain("export HF_HOME='/shared/hf cache'");
    expect(script).toContain(`/bin/sh -c 'python sft.py --data '\\''/d/train.jsonl'\\'''`);
    expect(script).toContain(`mv -f /shared/runs/s1/train.log.exit.tmp /shared/runs/s1/train.log.exit`);
  });

  it('refuses a bad env name and a line break in an extra option', () => {
    expect(() => renderSbatchScript({ ...spec, env: { 'BAD-NAME': 'x' } }, undefined, '/e')).toThrow(/BAD-NAME/);
    expect(() => sbatchDirectives(spec, slurmConfigSchema.parse({ extraSbatch: ['--a\n--b'] }))).toThrow(/extraSbatch/);
  });

  it('puts the per-job options on the sbatch command line', () => {
    expect(sbatchArgs({ ...spec, timeLimitMinutes: 90 }, '/s/job.sbatch')).toEqual([
      '--parsable',
      '--job-name=train_gpt-4o_math-instance',
      '--output=/shared/runs/s1/train.log',
      '--open-mode=append',
      '--chdir=/shared/runs/s1',
      '--time=90',
      '/s/job.sbatch',
    ]);
  });
});
