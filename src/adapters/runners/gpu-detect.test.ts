import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainConfigSchema } from '../../config/train-schema.js';
import { tempDir } from '../../../test/fixtures/fake-trainer-support.js';
import { createJobRunner, runnerForHandle } from './create-runner.js';
import { detectGpus, trainCapacity } from './gpu-detect.js';
import { LocalRunner } from './local-runner.js';
import { SlurmRunner } from './slurm-runner.js';

let dir: string;
let smi: string;
let failing: string;

beforeAll(async () => {
  dir = await tempDir('gpu-detect');
  smi = join(dir, 'nvidia-smi');
  await writeFile(
    smi,
    '#!/bin/sh\n[ "$1" = -L ] || exit 9\necho "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-a)"\necho "GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-b)"\n',
  );
  failing = join(dir, 'nvidia-smi-broken');
  await writeFile(failing, '#!/bin/sh\necho "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver" >&2\nexit 9\n');
  await chmod(smi, 0o755);
  await chmod(failing, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('GPU detection', () => {
  it('counts what nvidia-smi -L lists, and nothing when it is missing or broken', async () => {
    expect(await detectGpus(smi)).toBe(2);
    expect(await detectGpus(failing)).toBeUndefined();
    expect(await detectGpus(join(dir, 'absent'))).toBeUndefined();
  });

  it('turns detection and config into training slots or a blocked reason', async () => {
    expect(await trainCapacity(trainConfigSchema.parse({ gpusPerJob: 1 }), smi)).toEqual({ ok: true, gpus: 2, slots: 2 });
    expect(await trainCapacity(trainConfigSchema.parse({ gpus: 8 }), join(dir, 'absent'))).toEqual({ ok: true, gpus: 8, slots: 2 });
    const blocked = await trainCapacity(trainConfigSchema.parse({}), join(dir, 'absent'));
    expect(blocked).toMatchObject({ ok: false, blockedReason: expect.stringContaining('nvidia-smi is not installed') });
    expect(await trainCapacity(trainConfigSchema.parse({ runner: 'slurm' }), join(dir, 'absent'))).toMatchObject({ ok: true });
    // device: cpu: one job at a time on the CPU, whatever nvidia-smi says (here: a broken one, never asked).
    expect(await trainCapacity(trainConfigSchema.parse({ device: 'cpu', gpus: 0 }), failing)).toEqual({ ok: true, gpus: 0, slots: 1 });
    expect(await trainCapacity(trainConfigSchema.parse({ device: 'cpu' }), join(dir, 'absent'))).toEqual({ ok: true, gpus: 0, slots: 1 });
  });
});

describe('runner choice', () => {
  it('follows the config, and a stored handle whatever the config says now', () => {
    expect(createJobRunner(trainConfigSchema.parse({}))).toBeInstanceOf(LocalRunner);
    expect(createJobRunner(trainConfigSchema.parse({ runner: 'slurm', slurm: { partition: 'gpu' } }))).toBeInstanceOf(SlurmRunner);
    const handle = { runner: 'slurm' as const, id: '1', startedAt: 0, logFile: '/l', progressFile: '/p', exitFile: '/e' };
    expect(runnerForHandle(handle).kind).toBe('slurm');
    expect(runnerForHandle({ ...handle, runner: 'local' }).kind).toBe('local');
  });
});
