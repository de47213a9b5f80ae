import { execFile, spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobHandle, JobSpec, JobStatus } from '../../core/job-runner-port.js';
import { parseTrainHandle } from '../../store/job-handle-json.js';
import { billedGpuWindow } from '../../core/train/gpu-accounting.js';
import { trainOutcome } from '../../core/train/train-outcome.js';
import { fakeTrainerCommand, launcher, pidAlive, repoRoot, tempDir, waitFor } from '../../../test/fixtures/fake-trainer-support.js';
import { fileExists } from './job-files.js';
import { LocalRunner } from './local-runner.js';
import { ProgressFileReader } from './progress-file-reader.js';

let dir: string;
let n = 0;
const started: JobHandle[] = [];

beforeAll(async () => {
  dir = await tempDir('local-runner');
});

afterAll(async () => {
  // Never leave a held fake trainer behind, whatever a test did.
  const runner = new LocalRunner({ killGraceMs: 200 });
  for (const h of started) await runner.cancel(h).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function spec(args: (string | number)[], extra: Partial<JobSpec> = {}): JobSpec & { release: string } {
  n += 1;
  const progressFile = join(dir, `job${n}.progress.jsonl`);
  const release = join(dir, `job${n}.release`);
  return {
    name: `job${n}`,
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

async function start(runner: LocalRunner, s: JobSpec): Promise<JobHandle> {
  const h = await runner.start(s);
  started.push(h);
  return h;
}

async function finalStatus(runner: LocalRunner, h: JobHandle): Promise<JobStatus> {
  return waitFor('the job to end', async () => {
    const st = await runner.poll(h);
    return st.state === 'running' || st.state === 'pending' ? undefined : st;
  });
}

describe('LocalRunner', () => {
  it('runs a trainer: running with progress while it works, done with its checkpoint after', async () => {
    const runner = new LocalRunner();
    const s = spec(['--steps', 4, '--hold-at', 2, '--checkpoint', join(dir, 'ckpt-a')]);
    const h = await start(runner, s);
    expect(h).toMatchObject({ runner: 'local', logFile: s.logFile, progressFile: s.progressFile });
    const reader = new ProgressFileReader(h.progressFile);
    const mid = await waitFor('step 2', async () => ((await reader.read()).step === 2 ? reader.current : undefined));
    expect(mid.totalSteps).toBe(4);
    expect(mid.loss).toBe(1);
    expect(await runner.poll(h)).toMatchObject({ state: 'running' });

    await writeFile(s.release, '');
    const st = await finalStatus(runner, h);
    expect(st).toMatchObject({ state: 'done', exitCode: 0 });
    const progress = await reader.read(true);
    expect(trainOutcome(st, progress)).toEqual({ state: 'done', checkpoint: join(dir, 'ckpt-a') });
    expect(progress.losses.map((p) => p.step)).toEqual([1, 2, 3, 4]);

    const log = await runner.logs(h, 50);
    expect(log).toContain('fake-trainer: step 4/4');
    expect(log).toContain('fake-trainer: stderr at step 4');
    expect(await runner.logs(h, 2)).toEqual(['fake-trainer: stderr at step 4', 'fake-trainer: exiting with 0']);
  });

  it('records when the job ran, so one that ended while nobody polled is billed for its run time only', async () => {
    const runner = new LocalRunner();
    const s = spec(['--steps', 2, '--hold-at', 1]);
    const h = await start(runner, s);
    const running = await waitFor('the start time', async () => {
      const st = await runner.poll(h);
      return st.startedAt !== undefined ? st : undefined;
    });
    expect(running).toMatchObject({ state: 'running' });
    expect(running.endedAt).toBeUndefined();
    await writeFile(s.release, '');
    // No poll until the job has ended and left its exit file.
    await waitFor('the exit file', async () => ((await fileExists(h.exitFile)) ? true : undefined));
    const st = await runner.poll(h);
    expect(st).toMatchObject({ state: 'done', exitCode: 0, startedAt: running.startedAt });
    expect(st.endedAt).toBeGreaterThanOrEqual(st.startedAt!);
    // However late a conductor looks (ten hours here), the bill is the job's own run time.
    expect(billedGpuWindow(h.startedAt, st, st.endedAt! + 10 * 3_600_000)).toEqual({ from: st.startedAt, to: st.endedAt });
  });

  it('passes cwd and env to the command', async () => {
    const runner = new LocalRunner();
    const h = await start(runner, { ...spec([]), command: 'pwd; echo "mark=$AGORA_TEST_MARK"' });
    expect((await finalStatus(runner, h)).state).toBe('done');
    const log = await runner.logs(h, 5);
    expect(log[0]).toBe(dir);
    expect(log[1]).toMatch(/^mark=job\d+$/);
  });

  it('reports a non-zero exit as failed with its code, even after a failed line', async () => {
    const runner = new LocalRunner();
    const h = await start(runner, spec(['--steps', 2, '--fail', 'CUDA out of memory', '--exit-code', 3]));
    const st = await finalStatus(runner, h);
    expect(st).toMatchObject({ state: 'failed', exitCode: 3, reason: 'exited with code 3' });
    const progress = await new ProgressFileReader(h.progressFile).read(true);
    expect(trainOutcome(st, progress)).toEqual({ state: 'failed', error: 'CUDA out of memory (exited with code 3)' });
  });

  it('counts an exit 0 without a done line as a failed training, and skips garbage lines', async () => {
    const runner = new LocalRunner();
    const h = await start(runner, spec(['--steps', 3, '--no-done', '--garbage']));
    const st = await finalStatus(runner, h);
    expect(st.state).toBe('done');
    const progress = await new ProgressFileReader(h.progressFile).read(true);
    expect(progress.step).toBe(3);
    expect(progress.ignored).toBe(12);
    expect(trainOutcome(st, progress)).toEqual({ state: 'failed', error: 'trainer exited 0 without its done line (last step 3/3)' });
  });

  it('cancel kills the whole process group, SIGKILL for a trainer that ignores SIGTERM', async () => {
    const runner = new LocalRunner({ killGraceMs: 500 });
    const s = spec(['--steps', 3, '--hold-at', 1, '--ignore-sigterm', '--spawn-child', join(dir, 'child.pid'), '--pid-file', join(dir, 'trainer.pid')]);
    const h = await start(runner, s);
    const reader = new ProgressFileReader(h.progressFile);
    await waitFor('step 1', async () => (await reader.read()).step === 1);
    const trainerPid = Number.parseInt(await readFile(join(dir, 'trainer.pid'), 'utf8'), 10);
    const childPid = Number(await readFile(join(dir, 'child.pid'), 'utf8'));
    expect(pidAlive(trainerPid) && pidAlive(childPid)).toBe(true);

    await runner.cancel(h);
    expect(pidAlive(trainerPid)).toBe(false);
    expect(pidAlive(childPid)).toBe(false);
    expect((await runner.poll(h)).state).toBe('cancelled');
    expect(await runner.logs(h, 20)).toContain('fake-trainer: ignoring SIGTERM');
  });

  it('re-attaches from the stored handle alone after the starting process has exited', async () => {
    const s = spec(['--steps', 3, '--hold-at', 2]);
    const { release, ...jobSpec } = s;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', launcher, JSON.stringify(jobSpec)], { cwd: repoRoot });
    const stored = stdout.trim();

    const fresh = new LocalRunner();
    const h = parseTrainHandle(stored, 1);
    started.push(h);
    const reader = new ProgressFileReader(h.progressFile);
    await waitFor('step 2 seen by the fresh runner', async () => (await reader.read()).step === 2);
    expect((await fresh.poll(h)).state).toBe('running');
    await writeFile(release, '');
    expect(await finalStatus(fresh, h)).toMatchObject({ state: 'done', exitCode: 0 });
    expect(trainOutcome(await fresh.poll(h), await reader.read(true)).state).toBe('done');
  });

  it('marks a job whose processes vanished without an exit status as orphaned', async () => {
    const runner = new LocalRunner();
    const h = await start(runner, spec(['--steps', 2, '--hold-at', 1]));
    await waitFor('step 1', async () => (await new ProgressFileReader(h.progressFile).read()).step === 1);
    process.kill(-Number(h.id), 'SIGKILL'); // what a reboot or an OOM kill of everything does
    const st = await finalStatus(runner, h);
    expect(st.state).toBe('failed');
    expect(st.reason).toMatch(/^orphaned/);
  });

  it('does not mistake an unrelated process group with the same id for the job', async () => {
    const other = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    try {
      const h: JobHandle = {
        runner: 'local',
        id: String(other.pid),
        startedAt: Date.now(),
        logFile: join(dir, 'x.log'),
        progressFile: join(dir, 'x.jsonl'),
        exitFile: join(dir, 'x.log.exit'),
      };
      expect(pidAlive(other.pid as number)).toBe(true);
      expect((await new LocalRunner().poll(h)).state).toBe('failed');
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('rejects a start in a folder that does not exist, naming it', async () => {
    const missing = join(dir, 'no-such-folder');
    await expect(new LocalRunner().start({ ...spec([]), cwd: missing })).rejects.toThrow(missing);
  });
});
