import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LocalRunner } from '../src/adapters/runners/local-runner.js';
import { ProgressFileReader } from '../src/adapters/runners/progress-file-reader.js';
import { trainConfigSchema } from '../src/config/train-schema.js';
import { trainJobSpec } from '../src/core/train/train-job.js';
import { trainOutcome } from '../src/core/train/train-outcome.js';
import { repoRoot, tempDir, waitFor } from './fixtures/fake-trainer-support.js';

// The SFT script's own tests (python/sft/test_*.py), run with unittest so that no pytest is
// needed. The plain-Python ones (data, progress records, template masking with jinja2) run
// wherever python3 does; the tokenizer, tensor and tiny-training ones need torch and
// transformers, which a CI machine without a GPU stack lacks.
const sftDir = join(repoRoot, 'python/sft');

function python(code: string): boolean {
  return spawnSync('python3', ['-c', code], { stdio: 'ignore' }).status === 0;
}

const hasPython = python('import sys; assert sys.version_info >= (3, 9)');
const hasStack = hasPython && python('import torch, transformers, tokenizers, accelerate');
if (!hasPython) console.warn('[python-sft.test] skipping: python3 (>= 3.9) is not available');
else if (!hasStack) console.warn('[python-sft.test] torch/transformers are not installed: the tokenizer, tensor and tiny-training tests are skipped');

const noBytecode = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };

function unittest(...modules: string[]): { status: number | null; output: string } {
  const args = modules.length > 0 ? ['-m', 'unittest', '-v', ...modules] : ['-m', 'unittest', 'discover', '-v', '-s', sftDir, '-p', 'test_*.py'];
  const res = spawnSync('python3', args, { cwd: sftDir, encoding: 'utf8', timeout: 900_000, env: noBytecode });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

describe.skipIf(!hasPython)('python/sft', () => {
  it('parses', () => {
    // ast.parse rather than py_compile: no __pycache__ left in the work tree.
    const files = ['sft.py', 'train.py', 'collate.py', 'data.py', 'progress.py', 'templates.py', 'tiny.py'].map((f) => join(sftDir, f));
    execFileSync('python3', ['-c', 'import ast, sys\nfor f in sys.argv[1:]: ast.parse(open(f, encoding="utf-8").read(), f)', ...files], { env: noBytecode });
  });

  it('passes its unit tests', () => {
    const { status, output } = unittest();
    expect(status, output).toBe(0);
    expect(output).toMatch(/\nOK/);
  }, 900_000);

  it.skipIf(!hasStack)('runs the torch/transformers tests instead of skipping them', () => {
    const { status, output } = unittest('test_collate', 'test_sft_smoke');
    expect(status, output).toBe(0);
    expect(output).not.toMatch(/skipped/);
  }, 900_000);
});

// The real script as a local job, through the same path the train stage takes: config ->
// command -> LocalRunner -> progress file -> outcome. Without torch it must still end in a
// recorded failure, never in silence.
describe.skipIf(!hasPython)('sft.py as a local train job', () => {
  it(hasStack ? 'trains a tiny random model to a done line' : 'records the missing torch as the failure', async () => {
    const dir = await tempDir('sft-job');
    try {
      const data = join(dir, 'train.jsonl');
      const rows = Array.from({ length: 8 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `${i}+${i}?` }, { role: 'assistant', content: String(2 * i) }] }));
      await writeFile(data, `${rows.join('\n')}\n`);
      await mkdir(join(dir, 'logs'));
      const config = trainConfigSchema.parse({
        command: 'python3 {sft_script} --tiny-random --data {data} --output-dir {output_dir} --progress-file {progress_file} --epochs {epochs} --max-length {max_length} --per-device-batch-size {batch_size} --grad-accum {grad_accum} --seed {seed} --fsdp off --logging-steps 1',
        gpusPerJob: 1,
        hyperparameters: { epochs: 1, maxLength: 64, perDeviceBatchSize: 2, gradientAccumulation: 1 },
      });
      const spec = trainJobSpec(config, {
        name: 'sft smoke', cwd: repoRoot, logFile: join(dir, 'logs/train.log'), data, outputDir: join(dir, 'ckpt'),
        progressFile: join(dir, 'progress.jsonl'), sftScript: join(sftDir, 'sft.py'), env: { CUDA_VISIBLE_DEVICES: '', PYTHONDONTWRITEBYTECODE: '1' },
      });
      const runner = new LocalRunner();
      const handle = await runner.start(spec);
      const status = await waitFor('sft.py to end', async () => {
        const st = await runner.poll(handle);
        return st.state === 'running' ? undefined : st;
      }, 600_000, 200);
      const outcome = trainOutcome(status, await new ProgressFileReader(handle.progressFile).read(true));
      if (hasStack) expect(outcome, (await runner.logs(handle, 40)).join('\n')).toEqual({ state: 'done', checkpoint: join(dir, 'ckpt') });
      else expect(outcome).toEqual({ state: 'failed', error: "ModuleNotFoundError: No module named 'torch' (exited with code 1)" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
