import type { SlurmSettings } from '../run-config.js';
import type { JobSpec } from '../job-runner-port.js';
import { shellQuote } from './command-template.js';
import { shellEpochMs, startedFileFor } from './job-clock.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function directive(option: string): string {
  const text = option.trim();
  if (/[\r\n]/.test(text)) throw new Error(`train.slurm.extraSbatch: one option per entry, got a line break in ${JSON.stringify(text)}`);
  return text.startsWith('#SBATCH') ? text : `#SBATCH ${text}`;
}

/** `#SBATCH` lines from the `train.slurm` section and the job's GPU count. */
export function sbatchDirectives(spec: Pick<JobSpec, 'gpus'>, slurm: SlurmSettings | undefined): string[] {
  const lines = ['#SBATCH --nodes=1', '#SBATCH --ntasks=1'];
  if (slurm?.partition) lines.push(`#SBATCH --partition=${slurm.partition}`);
  if (slurm?.account) lines.push(`#SBATCH --account=${slurm.account}`);
  if (slurm?.qos) lines.push(`#SBATCH --qos=${slurm.qos}`);
  if (slurm?.gres) lines.push(`#SBATCH --gres=${slurm.gres}`);
  else if (spec.gpus > 0) lines.push(`#SBATCH --gres=gpu:${spec.gpus}`);
  if (slurm?.cpusPerTask) lines.push(`#SBATCH --cpus-per-task=${slurm.cpusPerTask}`);
  if (slurm?.mem) lines.push(`#SBATCH --mem=${slurm.mem}`);
  if (slurm?.time) lines.push(`#SBATCH --time=${slurm.time}`);
  for (const extra of slurm?.extraSbatch ?? []) lines.push(directive(extra));
  return lines;
}

/**
 * The batch script for one job. The command runs in its own shell so that an `exit` in it
 * cannot skip the exit-file write: on a cluster without accounting, the exit file is the only
 * record of how a job ended once the controller forgets it (MinJobAge).
 */
export function renderSbatchScript(spec: JobSpec, slurm: SlurmSettings | undefined, exitFile: string): string {
  const env = Object.entries(spec.env).map(([k, v]) => {
    if (!ENV_NAME.test(k)) throw new Error(`job ${spec.name}: environment variable name ${JSON.stringify(k)} is not valid`);
    return `export ${k}=${shellQuote(v)}`;
  });
  const setup = slurm?.setup ?? [];
  const tmp = `${exitFile}.tmp`;
  return [
    '#!/bin/bash',
    ...sbatchDirectives(spec, slurm),
    `# agora job ${spec.name}`,
    '',
    ...(setup.length > 0 ? ['set -e', '# train.slurm.setup', ...setup, 'set +e', ''] : []),
    ...env,
    `cd ${shellQuote(spec.cwd)} || exit 1`,
    // Start and end times for GPU billing when accounting is off (core/train/job-clock.ts).
    shellEpochMs('t'),
    `printf '%s\\n' "$t" > ${shellQuote(startedFileFor(exitFile))}`,
    `/bin/sh -c ${shellQuote(spec.command)}`,
    'code=$?',
    shellEpochMs('t'),
    `printf '%s\\n%s\\n' "$code" "$t" > ${shellQuote(tmp)} && mv -f ${shellQuote(tmp)} ${shellQuote(exitFile)}`,
    'exit "$code"',
    '',
  ].join('\n');
}

/** `sbatch` options that belong to this job rather than to the config. */
export function sbatchArgs(spec: JobSpec, scriptPath: string): string[] {
  const name = spec.name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'agora-job';
  const args = ['--parsable', `--job-name=${name}`, `--output=${spec.logFile}`, '--open-mode=append', `--chdir=${spec.cwd}`];
  // Options on the command line override the script's #SBATCH lines.
  if (spec.timeLimitMinutes !== undefined) args.push(`--time=${Math.max(1, Math.ceil(spec.timeLimitMinutes))}`);
  args.push(scriptPath);
  return args;
}
