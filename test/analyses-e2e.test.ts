import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS, type MetricId } from '../src/core/metrics/metric-ids.js';
import { openStore } from '../src/store/open-store.js';
import { expectedEmbedding, expectedPerplexity, expectedReward, judgeScore, metricsSweep, type MetricsSweep } from './support/metrics-run.js';
import { runAgora } from './support/run-cli.js';

// The analyses from a real run: three generators generate and are measured by the metrics
// stage's real workers against the stand-in models; PGR (train, evaluate, score: GPU stages)
// is written into the cells as the score stage would. The report's numbers are recomputed here
// from the instances' texts by the stand-in's documented formulas, not from the stored rows.
const PGR: Record<string, number> = { 'gen-a': 40, 'gen-b': 12, 'gen-c': 25 };
const SOLVER: Record<string, number> = { 'gen-a': 70, 'gen-b': 50, 'gen-c': 55 };

interface Json {
  analysis: {
    used: number;
    metrics: string[];
    cells: { generator: string; values: Record<string, number>; leftOut?: string }[];
    pca: { value?: { components: { varianceRatio: number }[]; cumulative: number[]; constantMetrics: string[] }; reason?: string };
    componentRegression: { value?: { componentsUsed: number; rSquared: number }; reason?: string };
    metricRegressions: { metric: string; fit: { value?: { rSquared: number; coefficients: { estimate: number }[] }; reason?: string } }[];
    solver: { value?: { pearson: { r: number } }; reason?: string };
  };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function cdist(vectors: readonly number[][]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < vectors.length; i++)
    for (let j = i + 1; j < vectors.length; j++) {
      const [a, b] = [vectors[i]!, vectors[j]!];
      sum += a.reduce((s, x, k) => s + x * b[k]!, 0) / (Math.hypot(...a) * Math.hypot(...b));
      pairs++;
    }
  return 1 - sum / pairs;
}

/** Each cell's expected value per metric, from the texts of the instances the stage sampled. */
function expected(dbFile: string): Map<string, Partial<Record<MetricId, number>>> {
  const db = openStore(dbFile, { readonly: true });
  try {
    const cells = db.prepare(`SELECT id, generator FROM cells`).all() as { id: number; generator: string }[];
    return new Map(
      cells.map((c) => {
        const texts = db
          .prepare(`SELECT DISTINCT i.instruction, i.response FROM instance_metrics m JOIN instances i ON i.id = m.instance_id WHERE m.cell_id = ?`)
          .all(c.id) as { instruction: string; response: string }[];
        const judged = (model: string, kind: 'difficulty' | 'quality') =>
          texts.map((t) => judgeScore(model, kind, t.instruction, t.response)).filter((v): v is number => v !== undefined);
        const values: Partial<Record<MetricId, number>> = {
          'difficulty.perplexity': mean(texts.map((t) => expectedPerplexity(t.instruction)!)),
          'quality.reward': mean(texts.map((t) => expectedReward(t.instruction, t.response))),
          'diversity.instruction': cdist(texts.map((t) => expectedEmbedding(t.instruction))),
          'diversity.response': cdist(texts.map((t) => expectedEmbedding(t.response))),
        };
        for (const [m, model, kind] of [
          ['difficulty.judge', 'judge-model', 'difficulty'],
          ['quality.judge', 'judge-model', 'quality'],
          ['difficulty.openJudge', 'open-model', 'difficulty'],
          ['quality.openJudge', 'open-model', 'quality'],
        ] as const) {
          const xs = judged(model, kind);
          if (xs.length > 0) values[m] = mean(xs);
        }
        return [c.generator, values];
      }),
    );
  } finally {
    db.close();
  }
}

/** r² of y on x, by the textbook formula. */
function rSquared(x: readonly number[], y: readonly number[]): number {
  const [mx, my] = [mean(x), mean(y)];
  const sxy = x.reduce((s, v, i) => s + (v - mx) * (y[i]! - my), 0);
  const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
  const syy = y.reduce((s, v) => s + (v - my) ** 2, 0);
  return (sxy * sxy) / (sxx * syy);
}

let s: MetricsSweep;
let json: Json;
let want: Map<string, Partial<Record<MetricId, number>>>;

beforeAll(async () => {
  s = await metricsSweep();
  fs.appendFileSync(
    s.configFile,
    `evaluate:\n  problemSolving: { ${Object.entries(SOLVER)
      .map(([g, v]) => `${g}: ${v}`)
      .join(', ')} }\n`,
  );
  const r = await runAgora(['run', '--no-tui', '--stages', 'generate,metrics', '--config', s.configFile], { cwd: s.dir });
  expect(r.stdout).toContain('all 3 cells finished metrics');
  const db = openStore(s.dbFile);
  try {
    for (const [g, v] of Object.entries(PGR))
      db.prepare(`UPDATE cells SET scores_json = ? WHERE generator = ?`).run(JSON.stringify({ benchmarks: {}, pgrByBenchmark: {}, pgr: { value: v } }), g);
  } finally {
    db.close();
  }
  want = expected(s.dbFile);
  const out = await runAgora(['report', '--format', 'json', '--config', s.configFile], { cwd: s.dir });
  expect(out.code).toBe(0);
  json = JSON.parse(out.stdout) as Json;
}, 240_000);
afterAll(async () => s?.cleanup());

describe('the analyses of a stand-in run of three generators', () => {
  it("fills each cell's metrics from the metrics stage's rows, as the stand-in's formulas give them", () => {
    const a = json.analysis;
    expect(a.cells.map((c) => c.generator)).toEqual(['gen-a', 'gen-b', 'gen-c']);
    for (const c of a.cells) {
      const w = want.get(c.generator)!;
      for (const m of METRICS) {
        if (w[m] === undefined) expect(c.values[m]).toBeUndefined();
        else expect(c.values[m], `${c.generator} ${m}`).toBeCloseTo(w[m], 6);
      }
    }
    expect(a.used).toBe(a.cells.filter((c) => !c.leftOut).length);
  });

  it('fits PCA and the regressions on the cells, and correlates PGR with problem solving', () => {
    const a = json.analysis;
    // The stand-in answers deterministically and the sample is seeded: every cell has every metric.
    expect(a.used).toBe(3);
    expect(a.pca.value!.cumulative.at(-1)).toBeCloseTo(1, 9);
    expect(a.componentRegression.value!.componentsUsed).toBe(1);
    const pgr = a.cells.map((c) => PGR[c.generator]!);
    const perplexity = a.metricRegressions.find((r) => r.metric === 'difficulty.perplexity')!.fit.value!;
    expect(perplexity.rSquared).toBeCloseTo(
      rSquared(
        a.cells.map((c) => want.get(c.generator)!['difficulty.perplexity']!),
        pgr,
      ),
      6,
    );
    // The stand-ins write the same kind of data for every generator: a metric equal in every
    // cell (the open judge's 5s, the reward) carries no information, and its regression says so.
    expect(a.pca.value!.constantMetrics.length).toBeGreaterThan(0);
    for (const m of a.pca.value!.constantMetrics) {
      expect(a.cells.every((c) => c.values[m] === a.cells[0]!.values[m])).toBe(true);
      expect(a.metricRegressions.find((r) => r.metric === m)!.fit.reason).toBe(`${m} is the same in every cell: there is no slope to fit`);
    }
    const solver = a.cells.map((c) => SOLVER[c.generator]!);
    expect(json.analysis.solver.value!.pearson.r ** 2).toBeCloseTo(rSquared(solver, pgr), 9);
  });

  it('prints them in the markdown and html reports', async () => {
    const md = await runAgora(['report', '--config', s.configFile], { cwd: s.dir });
    expect(md.stdout).toContain('## Analyses: what makes a good data generator');
    expect(md.stdout).toMatch(/\| gen-a \| math\/instance \|( -?[\d.]+ \|){8} 40\.0 \| yes \|/);
    const html = await runAgora(['report', '--format', 'html', '--config', s.configFile], { cwd: s.dir });
    for (const kind of ['bars', 'loadings', 'scatter']) expect(html.stdout).toContain(`class="chart ${kind}"`);
  }, 60_000);
});
