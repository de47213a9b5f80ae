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
// transformers. The interpreter is $AGORA_PYTHON (CI points it at the virtual environment
// .ci/run installs python/requirements.txt into), else python3.
const sftDir = join(repoRoot, 'python/sft');
const PY = process.env.AGORA_PYTHON || 'python3';

function python(code: string): boolean {
  return spawnSync(PY, ['-c', code], { stdio: 'ignore' }).status === 0;
}

const hasPython = python('import sys; assert sys.version_info >= (3, 9)');
const hasTorch = hasPython && python('import torch');
const hasStack = hasTorch && python('import torch, transformers, tokenizers, accelerate');
if (!hasPython) console.warn(`[python-sft.test] skipping: ${PY} (>= 3.9) is not available`);
else if (!hasStack) console.warn(`[python-sft.test] torch/transformers are not installed in ${PY}: the tokenizer, tensor and tiny-training tests are skipped`);

const noBytecode = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };

function unittest(...modules: string[]): { status: number | null; output: string } {
  const args = modules.length > 0 ? ['-m', 'unittest', '-v', ...modules] : ['-m', 'unittest', 'discover', '-v', '-s', sftDir, '-p', 'test_*.py'];
  const res = spawnSync(PY, args, { cwd: sftDir, encoding: 'utf8', timeout: 900_000, env: noBytecode });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

describe.skipIf(!hasPython)('python/sft', () => {
  it('parses', () => {
    // ast.parse rather than py_compile: no __pycache__ left in the work tree.
    const files = [
      'sft.py',
      'train.py',
      'collate.py',
      'data.py',
      'progress.py',
      'templates.py',
      'tiny.py',
      'packing.py',
      'trainer_options.py',
      'checkpoint_files.py',
      '../serve/serve.py',
    ].map((f) => join(sftDir, f));
    execFileSync(PY, ['-c', 'import ast, sys\nfor f in sys.argv[1:]: ast.parse(open(f, encoding="utf-8").read(), f)', ...files], { env: noBytecode });
  });

  it('has the whole stack when it has torch (a torch install never lets the torch tests skip)', () => {
    expect(hasStack, `${PY} imports torch but not transformers, tokenizers and accelerate: pip install -r python/requirements.txt`).toBe(hasTorch);
  });

  it('passes its unit tests, and with torch installed runs every one of them', () => {
    const { status, output } = unittest();
    expect(status, output).toBe(0);
    expect(output).toMatch(/\nOK/);
    // With torch there, a skipped test means a torch test did not run: that is a failure. (The
    // one test of the record a missing torch leaves can only run without torch.)
    const skipped = output
      .split('\n')
      .filter((l) => / \.\.\. skipped /.test(l) && !l.includes('torch is installed (this checks the record when it is missing)'));
    if (hasTorch) expect(skipped, output).toEqual([]);
  }, 900_000);

  it('takes every flag of the default train command', () => {
    const config = trainConfigSchema.parse({ device: 'cpu', baseModel: 'tiny-random', python: PY });
    const command = trainJobSpec(config, {
      name: 'flags',
      cwd: repoRoot,
      logFile: '/l',
      data: '/d.jsonl',
      outputDir: '/o',
      progressFile: '/p.jsonl',
      sftScript: join(sftDir, 'sft.py'),
    }).command;
    const sftArgs = command.slice(command.indexOf('sft.py') + 'sft.py'.length).trim();
    // sft.py's own parser (no torch needed) on the arguments as the shell would split them.
    const res = spawnSync(
      '/bin/sh',
      [
        '-c',
        `"$0" -c 'import sys; sys.path.insert(0, sys.argv[1]); import sft; a = sft.parse_args(sys.argv[2:]); print(a.tiny_random, a.packing, a.lr_scheduler, a.lr_decay, repr(a.system_message))' ${JSON.stringify(sftDir)} ${sftArgs}`,
        PY,
      ],
      { encoding: 'utf8', env: noBytecode },
    );
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe("True True step 0.85 'You are a helpful AI assistant.'");
  });
});

// The real script as a local job, through the same path the train stage takes: config ->
// command -> LocalRunner -> progress file -> outcome. Without torch it must still end in a
// recorded failure, never in silence.
describe.skipIf(!hasPython)('sft.py as a local train job', () => {
  it(
    hasStack ? 'trains a tiny random model to a done line' : 'records the missing torch as the failure',
    async () => {
      const dir = await tempDir('sft-job');
      try {
        const data = join(dir, 'train.jsonl');
        const rows = Array.from({ length: 8 }, (_, i) =>
          JSON.stringify({
            messages: [
              { role: 'user', content: `${i}+${i}?` },
              { role: 'assistant', content: String(2 * i) },
            ],
          }),
        );
        await writeFile(data, `${rows.join('\n')}\n`);
        await mkdir(join(dir, 'logs'));
        const config = trainConfigSchema.parse({
          command:
            '{python} {sft_script} --tiny-random --data {data} --output-dir {output_dir} --progress-file {progress_file} --epochs {epochs} --max-length {max_length} --per-device-batch-size {batch_size} --grad-accum {grad_accum} --seed {seed} --fsdp off --logging-steps 1',
          gpusPerJob: 1,
          python: PY,
          hyperparameters: { epochs: 1, maxLength: 256, perDeviceBatchSize: 2, gradientAccumulation: 1 },
        });
        const spec = trainJobSpec(config, {
          name: 'sft smoke',
          cwd: repoRoot,
          logFile: join(dir, 'logs/train.log'),
          data,
          outputDir: join(dir, 'ckpt'),
          progressFile: join(dir, 'progress.jsonl'),
          sftScript: join(sftDir, 'sft.py'),
          env: { CUDA_VISIBLE_DEVICES: '', PYTHONDONTWRITEBYTECODE: '1' },
        });
        const runner = new LocalRunner();
        const handle = await runner.start(spec);
        const status = await waitFor(
          'sft.py to end',
          async () => {
            const st = await runner.poll(handle);
            return st.state === 'running' ? undefined : st;
          },
          600_000,
          200,
        );
        const outcome = trainOutcome(status, await new ProgressFileReader(handle.progressFile).read(true));
        if (hasStack) expect(outcome, (await runner.logs(handle, 40)).join('\n')).toEqual({ state: 'done', checkpoint: join(dir, 'ckpt') });
        else expect(outcome).toEqual({ state: 'failed', error: "ModuleNotFoundError: No module named 'torch' (exited with code 1)" });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    900_000,
  );
});
