import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { runAgora } from './support/run-cli.js';
import { writeTinyBenchmarks } from './support/student-responder.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('the whole pipeline through the CLI', () => {
  it('generates, trains, evaluates and scores a cell, and reports its PGR', async () => {
    const generator = await startFakeLlmServer({ responder: agoraResponder() });
    cleanups.push(() => generator.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    const tiny = writeTinyBenchmarks(path.join(t.dir, 'bench'));
    // The student server: the fake LLM server answering the tiny benchmarks (half right),
    // started by the evaluate stage from its command template on the trained "checkpoint".
    const responder = path.join(t.dir, 'student.ts');
    fs.writeFileSync(
      responder,
      `import { studentResponder } from ${JSON.stringify(path.join(REPO_ROOT, 'test/support/student-responder.ts'))};\nexport default studentResponder(${JSON.stringify(tiny.answers)});\n`,
    );
    const serve = `cd ${REPO_ROOT} && exec node --import tsx test/support/fake-llm-server-main.ts --port {port} --responder-module ${responder}`;
    fs.writeFileSync(
      path.join(t.dir, 'sweep.yaml'),
      `name: pipe
instancesPerCell: 4
budget: { usd: 5 }
generators:
  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${generator.openaiBaseURL}", price: { input: 1, output: 2 } }
settings: [math/response]
train: { runner: local, gpus: 1, gpusPerJob: 1, command: "node test/fixtures/fake-trainer.mjs --progress-file {progress_file} --checkpoint {output_dir} --steps 3 --interval-ms 20" }
evaluate:
  serveCommand: ${JSON.stringify(serve)}
  readinessTimeoutSeconds: 60
  benchmarks: { gsm8k: { dataFile: ${JSON.stringify(tiny.benchmarks.gsm8k!.dataFile)} }, math: { dataFile: ${JSON.stringify(tiny.benchmarks.math!.dataFile)} } }
  baselines:
    base: { scores: { gsm8k: 10, math: 10 } }
    reference: { scores: { gsm8k: 90, math: 60 } }
`,
    );
    const r = await runAgora(['run', '--no-tui', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(r.stdout + r.stderr).toMatch(/all 1 cells finished score/);
    expect(r.code).toBe(0);
    const report = await runAgora(['report', '--format', 'json', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(report.code).toBe(0);
    const json = JSON.parse(report.stdout) as {
      table2: { columns: Array<{ method: string; domain: string | null }>; rows: Array<{ generator: string; values: unknown[] }> };
      benchmarks: Array<{ subject: string; benchmark: string; score: { value?: number }; pgr?: { value?: number } }>;
    };
    // Half right on each benchmark: GSM8K 50 -> 100*(50-10)/(90-10) = 50; MATH 50 -> 80; the domain 65.
    const col = json.table2.columns.findIndex((c) => c.method === 'response' && c.domain === 'math');
    expect(json.table2.rows[0]).toMatchObject({ generator: 'oss' });
    expect(json.table2.rows[0]!.values[col]).toEqual({ value: 65 });
    const cell = json.benchmarks.filter((b) => b.subject === 'oss math/response');
    expect(cell.map((b) => [b.benchmark, b.score.value, b.pgr?.value])).toEqual([
      ['gsm8k', 50, 50],
      ['math', 50, 80],
    ]);
    const md = await runAgora(['report', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(md.stdout).toMatch(/65/);
  });
});
