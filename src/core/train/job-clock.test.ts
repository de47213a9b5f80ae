import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slurmConfigSchema } from '../../config/train-schema.js';
import { parseEpochMs, shellEpochMs, startedFileFor } from './job-clock.js';
import { renderSbatchScript } from './slurm-script.js';

const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'job-clock-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the job clock', () => {
  it('gives epoch milliseconds in sh', async () => {
    const { stdout } = await run('/bin/sh', ['-c', `${shellEpochMs('t')}; echo "$t"`]);
    const t = parseEpochMs(stdout);
    expect(t).toBeDefined();
    // Same clock as this process, to within the second a `date` without %N rounds to.
    expect(Math.abs(t! - Date.now())).toBeLessThan(60_000);
  });

  it('falls back to whole seconds where date has no %N', async () => {
    const bin = join(dir, 'bin');
    await run('mkdir', ['-p', bin]);
    await writeFile(join(bin, 'date'), '#!/bin/sh\ncase "$1" in *N*) echo "1714564800%3N";; *) echo 1714564800;; esac\n');
    await chmod(join(bin, 'date'), 0o755);
    const { stdout } = await run('/bin/sh', ['-c', `PATH="${bin}:$PATH"; ${shellEpochMs('t')}; echo "$t"`]);
    expect(parseEpochMs(stdout)).toBe(1_714_564_800_000);
  });

  it('the Slurm batch script records its start and its end beside the exit code', async () => {
    const exitFile = join(dir, 'train.log.exit');
    const spec = { name: 'j', command: 'exit 3', cwd: dir, env: {}, logFile: join(dir, 'train.log'), progressFile: join(dir, 'p.jsonl'), gpus: 0 };
    const script = join(dir, 'job.sbatch');
    await writeFile(script, renderSbatchScript(spec, slurmConfigSchema.parse({}), exitFile));
    await run('bash', [script]).catch((e: { code?: number }) => expect(e.code).toBe(3));
    const [code, ended] = (await readFile(exitFile, 'utf8')).trim().split('\n');
    const started = parseEpochMs(await readFile(startedFileFor(exitFile), 'utf8'));
    expect(code).toBe('3');
    expect(started).toBeDefined();
    expect(parseEpochMs(ended)).toBeGreaterThanOrEqual(started!);
  });
});
