import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agoraResponder, promptText } from './support/agora-responder.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { asksTinyBenchmark, checkpointLevel, gradedScores, gradedStudent } from './support/graded-student.js';
import { judgeReply } from './support/metrics-run.js';
import { runAgora } from './support/run-cli.js';
import { writeTinyBenchmarks } from './support/student-responder.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

type Value = { value?: number; status?: string; reason?: string } | null;

interface ReportJson {
  table2: { columns: Array<{ method: string; domain: string | null }>; rows: Array<{ generator: string; values: Value[] }> };
  table3: Array<{ generator: string; problemSolving: Value }>;
  ablation: { rows: Array<{ generator: string; variant: string; average: Value }> };
  fixedBudget: { rows: Array<{ generator: string; usd: number; entries: Array<{ pgr: Value; instances?: number; of?: number }> }> };
  analysis: {
    used: number;
    metrics: string[];
    pca: { value?: { components: Array<{ varianceRatio: number; loadings: number[] }> }; reason?: string };
    componentRegression: { value?: unknown; reason?: string };
    metricRegressions: Array<{ metric: string; fit: { value?: { rSquared: number }; reason?: string } }>;
    solver: { value?: { pearson: { r: number } }; reason?: string };
  };
}

/** PGR of a student at `level` against S_0 (GSM8K 25, MATH 0) and S_ref (100, 100), the mean of the two. */
function pgrAt(level: number): number {
  const s = gradedScores(level);
  return ((100 * (s.gsm8k - 25)) / 75 + s.math) / 2;
}

describe("the paper's second half on one stand-in sweep (issue 13)", () => {
  it('runs three generators through every stage, the ablation, a fixed budget and the generators’ own scores, and the report fills from the run', async () => {
    // One server for the generators: generation, the metrics' judges and routes, and the
    // generators' answers to the benchmarks (model-a right on all, model-b on 3, model-c on 2).
    const generate = agoraResponder({});
    const byModel: Record<string, number> = { 'model-a': 4, 'model-b': 3, 'model-c': 2 };
    const server = await startFakeLlmServer({
      responder: (req) => {
        const judged = judgeReply(req);
        if (judged !== undefined) return judged;
        if (asksTinyBenchmark(promptText(req))) return gradedStudent(byModel[req.model] ?? 0)(req);
        return generate(req);
      },
    });
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    const tiny = writeTinyBenchmarks(path.join(t.dir, 'bench'));
    const serveAt = (env: string) =>
      `cd ${REPO_ROOT} && ${env} exec node --import tsx test/support/fake-llm-server-main.ts --port {port} --responder-module ${path.join(REPO_ROOT, 'test/support/graded-student.ts')}`;
    const gen = (id: string, model: string) =>
      `  - { id: ${id}, provider: openai-compatible, model: ${model}, baseURL: "${server.openaiBaseURL}", price: { input: 0.2, output: 0.4 }, concurrency: 4 }`;
    fs.writeFileSync(
      path.join(t.dir, 'sweep.yaml'),
      [
        'name: half',
        'instancesPerCell: 6',
        'budget: { usd: 20 }',
        'generators:',
        gen('gen-a', 'model-a'),
        gen('gen-b', 'model-b'),
        gen('gen-c', 'model-c'),
        'settings: [math/instance]',
        'metaPrompt: [default, json]',
        'fixedBudget: { usd: [0.002] }',
        'train: { runner: local, gpus: 1, gpusPerJob: 1, command: "node test/fixtures/fake-trainer.mjs --progress-file {progress_file} --checkpoint {output_dir} --steps 2 --interval-ms 10" }',
        'evaluate:',
        `  serveCommand: ${JSON.stringify(serveAt('AGORA_TEST_CHECKPOINT={checkpoint}'))}`,
        '  readinessTimeoutSeconds: 60',
        `  benchmarks: { gsm8k: { dataFile: ${JSON.stringify(tiny.benchmarks.gsm8k!.dataFile)} }, math: { dataFile: ${JSON.stringify(tiny.benchmarks.math!.dataFile)} } }`,
        '  generatorScores: true',
        '  baselines:',
        // S_0 at level 1 (GSM8K 25, MATH 0), S_ref at level 4 (100, 100).
        `    base: { checkpoint: base, serveCommand: ${JSON.stringify(serveAt('AGORA_TEST_CHECKPOINT=gen-b@usd'))} }`,
        `    reference: { checkpoint: ref, serveCommand: ${JSON.stringify(serveAt('AGORA_TEST_CHECKPOINT=gen-a'))} }`,
        'metrics:',
        '  sampleSize: 4',
        '  judge: { generator: gen-a, model: judge-model, price: { input: 1, output: 2 } }',
        `  openJudge: { endpoint: "${server.openaiBaseURL}", model: open-model }`,
        `  perplexity: { endpoint: "${server.openaiBaseURL}", model: ppl-model }`,
        `  reward: { endpoint: "${server.openaiBaseURL}", model: reward-model }`,
        `  embeddings: { provider: openai-compatible, baseURL: "${server.openaiBaseURL}", model: embed-model, price: { input: 0.5 } }`,
        '',
      ].join('\n'),
    );
    const r = await runAgora(['run', '--no-tui', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(r.stdout + r.stderr).toContain('all 9 cells finished metrics');
    expect(r.code).toBe(0);

    const report = await runAgora(['report', '--format', 'json', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(report.code).toBe(0);
    const json = JSON.parse(report.stdout) as ReportJson;
    // Table 2: each generator's student, by its level.
    const col = json.table2.columns.findIndex((c) => c.method === 'instance' && c.domain === 'math');
    for (const [i, g] of ['gen-a', 'gen-b', 'gen-c'].entries()) {
      expect(json.table2.rows[i]).toMatchObject({ generator: g });
      expect(json.table2.rows[i]!.values[col]!.value).toBeCloseTo(pgrAt(checkpointLevel(g)), 9);
    }
    // The ablation (Table 5): the json variant's students one level down.
    expect(json.ablation.rows.map((x) => [x.generator, x.variant, x.average?.value])).toEqual(
      ['gen-a', 'gen-b', 'gen-c'].flatMap((g) => [
        [g, 'default', expect.closeTo(pgrAt(checkpointLevel(g)), 9)],
        [g, 'json', expect.closeTo(pgrAt(checkpointLevel(`${g}@json`)), 9)],
      ]),
    );
    // The fixed budget: what $0.002 bought of each cell, and the PGR of its student.
    expect(json.fixedBudget.rows.map((x) => x.generator)).toEqual(['gen-a', 'gen-b', 'gen-c']);
    for (const row of json.fixedBudget.rows) {
      const e = row.entries[0]!;
      expect(e.instances).toBeGreaterThanOrEqual(0);
      expect(e.instances).toBeLessThanOrEqual(e.of!);
      expect(e.pgr?.value).toBeCloseTo(pgrAt(checkpointLevel(`${row.generator}@usd`)), 9);
    }
    // The generators' own scores, evaluated through their APIs (model-a best).
    const solved = json.table3.map((x) => x.problemSolving?.value);
    expect(solved[0]).toBeGreaterThan(solved[1]!);
    expect(solved[1]).toBeGreaterThan(solved[2]!);
    // The analyses over the three main cells: every metric, a PCA, the fits.
    expect(json.analysis.used).toBe(3);
    expect(json.analysis.metrics).toHaveLength(8);
    // Three cells span at most two components, which explain all the variance.
    const components = json.analysis.pca.value!.components;
    expect(components.length).toBeGreaterThan(0);
    expect(components.length).toBeLessThanOrEqual(2);
    expect(components.reduce((a, c) => a + c.varianceRatio, 0)).toBeCloseTo(1, 9);
    expect(json.analysis.componentRegression).toHaveProperty('value');
    expect(json.analysis.metricRegressions.some((m) => m.fit.value !== undefined)).toBe(true);
    // PGR rises with the generator's own score here: a perfect rank correlation of three points.
    expect(json.analysis.solver.value!.pearson.r).toBeGreaterThan(0.9);

    const html = await runAgora(['report', '--format', 'html', '--out', 'report.html', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(html.code).toBe(0);
    const page = fs.readFileSync(path.join(t.dir, 'report.html'), 'utf8');
    for (const id of ['matrix', 'cost-pgr', 'tables', 'variants', 'analyses', 'cells']) expect(page).toContain(`<section id="${id}">`);
    expect(page).toContain('Table 5: meta-prompt ablation');
    expect(page).not.toContain('Not computed for this run');
  }, 900_000);
});
