import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/fixtures/fake-trainer-support.js';
import { describeExit, readExitFile, tailLines } from './job-files.js';
import { writeFileAtomic } from '../write-atomic.js';
import { trainOutcome } from '../../core/train/train-outcome.js';
import { ProgressFileReader } from './progress-file-reader.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('progress-reader');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ProgressFileReader', () => {
  it('reads only what was appended, across a line and a UTF-8 character split between writes', async () => {
    const file = join(dir, 'p1.jsonl');
    const reader = new ProgressFileReader(file);
    expect((await reader.read()).records).toBe(0); // no file yet

    const failed = Buffer.from('{"status":"failed","error":"überlauf"}\n');
    const cut = failed.indexOf(Buffer.from('ü')) + 1; // inside the two-byte ü
    await writeFile(file, '{"step": 1, "total_steps": 4, "loss": 2.0}\n{"step": 2, "tot');
    expect((await reader.read()).step).toBe(1);
    await appendFile(file, 'al_steps": 4, "loss": 1.0}\nnoise\n');
    await appendFile(file, failed.subarray(0, cut));
    const mid = await reader.read();
    expect(mid).toMatchObject({ step: 2, loss: 1, ignored: 1, records: 2 });
    await appendFile(file, failed.subarray(cut));
    expect((await reader.read()).result).toEqual({ kind: 'failed', error: 'überlauf' });
  });

  it('parses a last line without newline once the trainer has exited', async () => {
    const file = join(dir, 'p2.jsonl');
    await writeFile(file, '{"status": "done", "checkpoint": "/c"}');
    const reader = new ProgressFileReader(file);
    expect((await reader.read()).result).toBeUndefined();
    expect((await reader.read(true)).result).toEqual({ kind: 'done', checkpoint: '/c' });
  });

  it('starts over when the file was truncated by a restarted trainer', async () => {
    const file = join(dir, 'p3.jsonl');
    await writeFile(file, '{"step": 5, "total_steps": 9, "loss": 3}\n{"step": 6, "total_steps": 9, "loss": 2}\n');
    const reader = new ProgressFileReader(file);
    expect((await reader.read()).step).toBe(6);
    await writeFile(file, '{"step": 1, "total_steps": 9}\n');
    const s = await reader.read();
    expect(s.step).toBe(1);
    expect(s.losses).toEqual([]);
  });
});

describe('ProgressFileReader with a trainer of another shape', () => {
  it('counts the lines that are not records, keeps the first with its line number across reads, and the outcome names it', async () => {
    const file = join(dir, 'camel.jsonl');
    const reader = new ProgressFileReader(file);
    // A custom train.command that writes camelCase: every line skipped, none fatal.
    await writeFile(file, '\n{"step": 1, "totalSteps": 9}\n');
    await reader.read();
    await appendFile(file, '{"step": 2, "totalSteps": 9}\n{"status": "finished", "checkpoint": "/ck"}');
    const s = await reader.read(true);
    expect(s).toMatchObject({
      records: 0,
      ignored: 3,
      firstIgnored: { line: 2, why: expect.stringMatching(/^step and total_steps must be counts, got 1 and undefined: \{"step": 1/) as unknown },
    });
    const outcome = trainOutcome({ state: 'done', exitCode: 0 }, s);
    expect(outcome).toEqual({
      state: 'failed',
      error: expect.stringMatching(
        /^trainer exited 0 without one progress record; 3 line\(s\) of its progress file were not progress records \(first, line 2: step and total_steps/,
      ) as unknown,
    });
  });

  it('numbers lines from the top again when the file is truncated by a restarted trainer', async () => {
    const file = join(dir, 'restart.jsonl');
    const reader = new ProgressFileReader(file);
    await writeFile(file, '{"step": 1, "total_steps": 4}\n{"step": 2, "total_steps": 4}\n{"step": 3, "total_steps": 4}\n');
    await reader.read();
    await writeFile(file, '{"step": 1, "total_steps": 4}\n{"status": "done"}\n');
    const s = await reader.read(true);
    expect(s.firstIgnored).toEqual({ line: 2, why: 'status "done" without a checkpoint: {"status": "done"}' });
  });
});

describe('job files', () => {
  it('tails the last lines of a long log, reading backwards', async () => {
    const file = join(dir, 'big.log');
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
    await writeFile(file, `${lines.join('\n')}\n`);
    expect(await tailLines(file, 3)).toEqual(lines.slice(-3));
    expect(await tailLines(file, 5000)).toEqual(lines.slice(-5000));
    await writeFile(file, 'a\nb');
    expect(await tailLines(file, 10)).toEqual(['a', 'b']);
    await writeFile(file, '');
    expect(await tailLines(file, 10)).toEqual([]);
    expect(await tailLines(join(dir, 'missing.log'), 10)).toEqual([]);
  });

  it('reads exit files and refuses a corrupt one', async () => {
    const file = join(dir, 'job.exit');
    expect(await readExitFile(file)).toBeUndefined();
    await writeFileAtomic(file, '137\n');
    expect(await readExitFile(file)).toBe(137);
    expect(await readFile(file, 'utf8')).toBe('137\n');
    await writeFile(file, 'oops');
    await expect(readExitFile(file)).rejects.toThrow(`${file}: expected an exit code`);
  });

  it('describes exits by signal', () => {
    expect(describeExit(3)).toBe('exited with code 3');
    expect(describeExit(137)).toBe('killed by SIGKILL (exit 137)');
    expect(describeExit(143)).toBe('killed by SIGTERM (exit 143)');
  });
});
