import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobHandle, JobSpec, JobStatus } from '../../core/job-runner-port.js';
import { trainOutcome } from '../../core/train/train-outcome.js';
import { fakeTrainerCommand, pidAlive, tempDir, waitFor } from '../../../test/fixtures/fake-trainer-support.js';
import { slurmAvailability } from '../../../test/support/slurm.js';
import { ProgressFileReader } from './progress-file-reader.js';
import { SlurmRunner } from './slurm-runner.js';

const slurm = await slurmAvailability();
if (!slurm.ready) console.warn(`[slurm-runner.test] skipping the tests against a real Slurm: ${slurm.reason}`);

let dir: string;
let n = 0;
const submitted: JobHandle[] = [];

beforeAll(async () => {
  dir = await tempDir('slurm-runner');
});
afterAll(async () => {
  const runner = new SlurmRunner();
  for (const h of submitted) await runner.cancel(h).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function spec(args: (string | number)[], extra: Partial<JobSpec> = {}): JobSpec & { release: string } {
  n += 1;
  const progressFile = join(dir, `job${n}.progress.jsonl`);
  const release = join(dir, `job${n}.release`);
  return {
    name: `agora-test-${n}`,
    command: fakeTrainerCommand(['--progress-file', progressFile, '--release', release, ...args]),
    cwd: dir,
    env: { AGORA_TEST_MARK: `job${n}` },
    logFile: join(dir, `job${n}.log`),
    progressFile,
    gpus: 0,
    release,
    ...extra,
  };
}

async function endOf(runner: SlurmRunner, h: JobHandle, timeoutMs = 60_000): Promise<JobStatus> {
  return waitFor(
    `Slurm job ${h.id} to end`,
    async () => {
      const st = await runner.poll(h);
      return st.state === 'pending' || st.state === 'running' ? undefined : st;
    },
    timeoutMs,
    250,
  );
}

/** Waits until the trainer process is gone, when it ran on this machine (single-node Slurm). */
async function trainerGone(pidFile: string): Promise<void> {
  const [pid, host] = (await readFile(pidFile, 'utf8')).trim().split(' ');
  if (host !== hostname()) return;
  await waitFor(`trainer ${pid} to be killed`, () => !pidAlive(Number(pid)), 30_000, 200);
}

describe.skipIf(!slurm.ready)('SlurmRunner against a real Slurm', () => {
  const runner = new SlurmRunner({ config: { partition: slurm.ready ? slurm.partition : undefined, extraSbatch: [], setup: ['export AGORA_SETUP_RAN=yes'] } });
  const submit = async (s: JobSpec) => {
    const h = await runner.start(s);
    submitted.push(h);
    return h;
  };

  // Slurm checks time limits about every 30 s and its minimum limit is a minute: this one
  // takes 1-2 minutes, so it runs alongside the others.
  it.concurrent(
    'reports a job that exceeds its time limit as failed with TIMEOUT',
    async () => {
      const pidFile = join(dir, 'timeout.pid');
      const h = await submit(spec(['--steps', 2, '--hold-at', 1, '--pid-file', pidFile], { timeLimitMinutes: 1 }));
      const st = await endOf(runner, h, 200_000);
      await trainerGone(pidFile);
      expect(st).toMatchObject({ state: 'failed', native: 'TIMEOUT', reason: 'hit its time limit (TIMEOUT)' });
      const outcome = trainOutcome(st, await new ProgressFileReader(h.progressFile).read(true));
      expect(outcome).toEqual({ state: 'failed', error: 'trainer hit its time limit (TIMEOUT)' });
    },
    240_000,
  );

  it.concurrent(
    'submits, follows progress on the shared file system, and sees it complete',
    async () => {
      const s = spec(['--steps', 3, '--hold-at', 2, '--checkpoint', '/ckpt/x']);
      const h = await submit(s);
      expect(h).toMatchObject({ runner: 'slurm', id: expect.stringMatching(/^\d+$/) });
      expect(await readFile(`${s.logFile}.sbatch`, 'utf8')).toContain(`#SBATCH --partition=${slurm.ready ? slurm.partition : ''}`);
      const reader = new ProgressFileReader(h.progressFile);
      await waitFor('step 2', async () => (await reader.read()).step === 2);
      expect(await runner.poll(h)).toMatchObject({ state: 'running', native: 'RUNNING' });

      await writeFile(s.release, '');
      const st = await endOf(runner, h);
      expect(st).toMatchObject({ state: 'done', native: 'COMPLETED', exitCode: 0 });
      expect(trainOutcome(st, await reader.read(true))).toEqual({ state: 'done', checkpoint: '/ckpt/x' });
      const log = await runner.logs(h, 100);
      expect(log).toContain('fake-trainer: step 3/3');
      expect(log).toContain('fake-trainer: stderr at step 3');
    },
    90_000,
  );

  it.concurrent(
    'runs setup lines and passes env and cwd',
    async () => {
      const h = await submit({ ...spec([]), command: 'echo "setup=$AGORA_SETUP_RAN mark=$AGORA_TEST_MARK cwd=$(pwd)"' });
      expect((await endOf(runner, h)).state).toBe('done');
      expect((await runner.logs(h, 5)).join('\n')).toMatch(new RegExp(`setup=yes mark=job\\d+ cwd=${dir}`));
    },
    90_000,
  );

  it.concurrent(
    'reports a failing job with its exit code',
    async () => {
      const h = await submit(spec(['--steps', 1, '--exit-code', 3, '--fail', 'boom']));
      const st = await endOf(runner, h);
      expect(st).toMatchObject({ state: 'failed', native: 'FAILED', exitCode: 3, reason: 'exited with code 3' });
      expect(trainOutcome(st, await new ProgressFileReader(h.progressFile).read(true))).toEqual({ state: 'failed', error: 'boom (exited with code 3)' });
    },
    90_000,
  );

  it.concurrent(
    'cancels a running job',
    async () => {
      const pidFile = join(dir, 'cancel.pid');
      const h = await submit(spec(['--steps', 2, '--hold-at', 1, '--ignore-sigterm', '--pid-file', pidFile]));
      await waitFor('step 1', async () => (await new ProgressFileReader(h.progressFile).read()).step === 1);
      await runner.cancel(h);
      const st = await endOf(runner, h);
      expect(st).toMatchObject({ state: 'cancelled', native: 'CANCELLED' });
      await trainerGone(pidFile); // a trainer ignoring SIGTERM gets SIGKILL after KillWait
      await runner.cancel(h); // cancelling an ended job is fine
    },
    90_000,
  );
});

describe('SlurmRunner with stand-in binaries', () => {
  async function fakeBin(name: string, script: string): Promise<string> {
    const path = join(dir, `fake-${name}-${++n}`);
    await writeFile(path, `#!/bin/sh\n${script}\n`);
    await chmod(path, 0o755);
    return path;
  }

  it('falls back to the exit file once the controller forgot the job and accounting is off', async () => {
    const forgot = await fakeBin('scontrol', 'echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1');
    const noAcct = await fakeBin('sacct', 'echo "Slurm accounting storage is disabled" >&2; exit 1');
    const runner = new SlurmRunner({ bin: { scontrol: forgot, sacct: noAcct } });
    const h: JobHandle = {
      runner: 'slurm',
      id: '77',
      startedAt: 0,
      logFile: join(dir, 'gone.log'),
      progressFile: join(dir, 'gone.jsonl'),
      exitFile: join(dir, 'gone.log.exit'),
    };
    expect((await runner.poll(h)).reason).toMatch(/^Slurm no longer knows job 77/);
    await writeFile(h.exitFile, '0\n');
    expect(await runner.poll(h)).toEqual({ state: 'done', exitCode: 0 });
    await writeFile(h.exitFile, '2\n');
    expect(await runner.poll(h)).toMatchObject({ state: 'failed', exitCode: 2 });
    // The batch script records when it started and ended: billing needs no accounting.
    await writeFile(`${h.exitFile}.started`, '1714564800000\n');
    await writeFile(h.exitFile, '0\n1714572000000\n');
    expect(await runner.poll(h)).toEqual({ state: 'done', exitCode: 0, startedAt: 1714564800000, endedAt: 1714572000000 });
  });

  it('uses sacct when the controller forgot the job', async () => {
    const forgot = await fakeBin('scontrol', 'echo "Invalid job id specified" >&2; exit 1');
    const acct = await fakeBin(
      'sacct',
      'printf "%s\\n" "77|OUT_OF_MEMORY|0:125|OutOfMemory|2024-05-01T12:00:00|2024-05-01T12:30:00" "77.batch|OUT_OF_MEMORY|0:125|"',
    );
    const runner = new SlurmRunner({ bin: { scontrol: forgot, sacct: acct } });
    const h: JobHandle = { runner: 'slurm', id: '77', startedAt: 0, logFile: '/x', progressFile: '/y', exitFile: '/x.exit' };
    expect(await runner.poll(h)).toMatchObject({
      state: 'failed',
      native: 'OUT_OF_MEMORY',
      reason: 'ran out of memory (OUT_OF_MEMORY)',
      startedAt: new Date(2024, 4, 1, 12).getTime(),
      endedAt: new Date(2024, 4, 1, 12, 30).getTime(),
    });
  });

  it('names sbatch and its error when submission fails', async () => {
    const sbatch = await fakeBin('sbatch', 'echo "sbatch: error: invalid partition specified: gpu" >&2; exit 1');
    const runner = new SlurmRunner({ bin: { sbatch } });
    await expect(runner.start({ ...spec([]), name: 'bad' })).rejects.toThrow('job bad: sbatch failed: sbatch: error: invalid partition specified: gpu');
  });

  it('reports a missing sbatch clearly', async () => {
    const runner = new SlurmRunner({ bin: { sbatch: join(dir, 'no-sbatch-here') } });
    await expect(runner.start(spec([]))).rejects.toThrow(/no-sbatch-here not found/);
  });
});
