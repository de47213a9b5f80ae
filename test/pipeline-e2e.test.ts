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
    // The base and reference models are served the same way (issue 9: S_0, S_ref and S_DG from
    // one harness): the base right on 1 of 4 GSM8K items and no MATH item, the reference on all.
    const serveWith = (name: string, answers: ReadonlyArray<readonly [string, string]>) => {
      const responder = path.join(t.dir, `${name}.ts`);
      fs.writeFileSync(
        responder,
        `import { studentResponder } from ${JSON.stringify(path.join(REPO_ROOT, 'test/support/student-responder.ts'))};\nexport default studentResponder(${JSON.stringify(answers)});\n`,
      );
      return `cd ${REPO_ROOT} && exec node --import tsx test/support/fake-llm-server-main.ts --port {port} --responder-module ${responder}`;
    };
    const serve = serveWith('student', tiny.answers);
    const baseServe = serveWith('base', [['Tom has 3 apples', '#### 5']]);
    const refServe = serveWith('reference', [
      ['Tom has 3 apples', '#### 5'],
      ['A box holds 4 pens', '#### 12'],
      ['Sara reads 10 pages', '#### 70'],
      ['There are 9 birds', '#### 5'],
      ['What is $2+3$?', '$\\boxed{5}$'],
      ['Compute $\\frac{1}{2}', '$\\boxed{1}$'],
    ]);
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
    base: { checkpoint: meta-llama/Llama-3.1-8B, serveCommand: ${JSON.stringify(baseServe)} }
    # No checkpoint: the default reference, meta-llama/Llama-3.1-8B-Instruct, served like the others.
    reference: { serveCommand: ${JSON.stringify(refServe)} }
`,
    );
    const r = await runAgora(['run', '--no-tui', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(r.stdout + r.stderr).toMatch(/the cell finished score/);
    expect(r.code).toBe(0);
    const report = await runAgora(['report', '--format', 'json', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(report.code).toBe(0);
    const json = JSON.parse(report.stdout) as {
      baselines: { base: unknown; reference: unknown };
      table2: { columns: Array<{ method: string; domain: string | null }>; rows: Array<{ generator: string; values: unknown[] }> };
      benchmarks: Array<{ subject: string; benchmark: string; score: { value?: number }; n?: number; source?: string; pgr?: { value?: number } }>;
    };
    // Both baselines were evaluated here, over the same items as the student.
    const baseline = (subject: string) => json.benchmarks.filter((b) => b.subject === subject).map((b) => [b.benchmark, b.score.value, b.n, b.source]);
    expect(baseline('base')).toEqual([
      ['gsm8k', 25, 4, 'evaluated'],
      ['math', 0, 2, 'evaluated'],
    ]);
    expect(baseline('reference')).toEqual([
      ['gsm8k', 100, 4, 'evaluated'],
      ['math', 100, 2, 'evaluated'],
    ]);
    expect(json.baselines).toEqual({
      base: { kind: 'evaluated', model: 'checkpoint meta-llama/Llama-3.1-8B' },
      reference: { kind: 'evaluated', model: 'checkpoint meta-llama/Llama-3.1-8B-Instruct' },
    });
    // Half right on each benchmark: GSM8K 100*(50-25)/(100-25) = 33.3; MATH 100*(50-0)/(100-0) = 50; the domain 41.7.
    const col = json.table2.columns.findIndex((c) => c.method === 'response' && c.domain === 'math');
    expect(json.table2.rows[0]).toMatchObject({ generator: 'oss' });
    expect(json.table2.rows[0]!.values[col]).toEqual({ value: expect.closeTo(125 / 3, 9) });
    const cell = json.benchmarks.filter((b) => b.subject === 'oss math/response');
    expect(cell.map((b) => [b.benchmark, b.score.value, b.pgr?.value])).toEqual([
      ['gsm8k', 50, expect.closeTo(100 / 3, 9)],
      ['math', 50, 50],
    ]);
    const md = await runAgora(['report', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(md.stdout).toContain('| oss |  |  |  |  | 41.7 |');
    // The report says where S_0 and S_ref come from: this harness, like the students.
    expect(md.stdout).toContain("- S_0 (base): checkpoint meta-llama/Llama-3.1-8B, evaluated in agora's harness.");
    expect(md.stdout).toContain("- S_ref (reference): checkpoint meta-llama/Llama-3.1-8B-Instruct, evaluated in agora's harness.");
    expect(md.stdout).toContain('- S_0, S_ref and the students are evaluated in the same harness.');
  });
});
