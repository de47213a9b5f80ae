import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { runAgora } from './support/run-cli.js';
import { writeTinyBenchmarks } from './support/student-responder.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';

// The whole loop with real parts and no GPU: generation against the local fake server, the
// real SFT script training the tiny random Llama on the CPU with the default command (the
// paper's recipe), the checkpoint served by agora's own OpenAI-compatible server on
// transformers (python/serve/serve.py), GSM8K and MATH graded on a few items, scored and
// reported. Needs torch, transformers and accelerate in $AGORA_PYTHON (CI installs them) or
// python3; skipped with a message without them.
const PY = process.env.AGORA_PYTHON || 'python3';
const hasStack = spawnSync(PY, ['-c', 'import torch, transformers, tokenizers, accelerate'], { stdio: 'ignore' }).status === 0;
if (!hasStack) console.warn(`[cpu-pipeline-e2e] skipping: torch/transformers/accelerate are not installed in ${PY} (pip install -r python/requirements.txt)`);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
const readLines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe.skipIf(!hasStack)('the whole pipeline on a CPU with a real model', () => {
  it('generates, trains the tiny model, serves it, evaluates GSM8K and MATH, scores and reports', async () => {
    const generator = await startFakeLlmServer({ responder: agoraResponder() });
    cleanups.push(() => generator.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    const tiny = writeTinyBenchmarks(path.join(t.dir, 'bench'));
    const serve = `${PY} ${path.join(REPO_ROOT, 'python/serve/serve.py')} --model {checkpoint} --port {port}`;
    fs.writeFileSync(
      path.join(t.dir, 'sweep.yaml'),
      `name: cpu
instancesPerCell: 4
budget: { usd: 5 }
generators:
  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${generator.openaiBaseURL}", price: { input: 1, output: 2 } }
settings: [math/response]
train:
  runner: local
  device: cpu
  baseModel: tiny-random
  python: ${JSON.stringify(PY)}
  hyperparameters: { epochs: 2, maxLength: 1024, perDeviceBatchSize: 1, gradientAccumulation: 1 }
evaluate:
  serveCommand: ${JSON.stringify(serve)}
  readinessTimeoutSeconds: 300
  inference: { maxTokens: 24 }
  benchmarks: { gsm8k: { dataFile: ${JSON.stringify(tiny.benchmarks.gsm8k!.dataFile)} }, math: { dataFile: ${JSON.stringify(tiny.benchmarks.math!.dataFile)} } }
  baselines:
    base: { scores: { gsm8k: 10, math: 5 } }
    reference: { scores: { gsm8k: 60, math: 30 } }
`,
    );
    const r = await runAgora(['run', '--no-tui', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(r.stdout + r.stderr).toMatch(/the cell finished score/);
    expect(r.code).toBe(0);

    // Trained by the real script, with the paper's recipe, to a checkpoint a 4.x server loads.
    const cell = path.join(t.dir, 'runs/cpu/oss/math/response');
    const log = fs.readFileSync(path.join(cell, 'train.log'), 'utf8');
    expect(log).toMatch(/packed \d+ examples into \d+ sequences of up to 1024 tokens/);
    expect(log).toContain("system message 'You are a helpful AI assistant.'");
    expect(log).toMatch(/lr schedule: step x0\.85 every \d+ steps \(one epoch\), 0 warmup steps/);
    expect(log).toMatch(/'train_loss': '?\d/); // the Trainer's summary: it took optimizer steps
    const progress = readLines(path.join(cell, 'train-progress.jsonl'));
    const ckpt = path.join(cell, 'checkpoint');
    expect(progress.at(-1)).toEqual({ status: 'done', checkpoint: ckpt });
    expect(readJson(path.join(ckpt, 'config.json')).use_cache).toBe(true);
    expect(readJson(path.join(ckpt, 'tokenizer_config.json')).tokenizer_class).toBe('PreTrainedTokenizerFast');

    // Evaluated through the real server: every item graded, the scores within range.
    const report = await runAgora(['report', '--format', 'json', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(report.code).toBe(0);
    const json = JSON.parse(report.stdout) as {
      benchmarks: Array<{ subject: string; benchmark: string; score: { value?: number }; pgr?: { value?: number } }>;
    };
    const student = json.benchmarks.filter((b) => b.subject === 'oss math/response');
    expect(student.map((b) => b.benchmark)).toEqual(['gsm8k', 'math']);
    // The trained checkpoint answered every item (4 GSM8K + 2 MATH) through serve.py.
    const served = fs.readFileSync(path.join(cell, 'evaluate-server.log'), 'utf8');
    expect(served).toContain(`serve: loading ${ckpt}`);
    expect(served.match(/"POST \/v1\/chat\/completions HTTP\/1\.1" 200/g)).toHaveLength(6);
    for (const b of student) {
      expect(b.score.value).toBeGreaterThanOrEqual(0);
      expect(b.score.value).toBeLessThanOrEqual(100);
      // PGR from the configured baselines: 100 * (S - S_0) / (S_ref - S_0).
      const [s0, sref] = b.benchmark === 'gsm8k' ? [10, 60] : [5, 30];
      expect(b.pgr?.value).toBeCloseTo((100 * (b.score.value! - s0)) / (sref - s0), 6);
    }
    const md = await runAgora(['report', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('| oss |');
  }, 900_000);
});
