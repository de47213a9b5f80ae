import { afterEach, describe, expect, it } from 'vitest';
import type { PlanBreakdown } from '../src/core/plan-breakdown.js';
import { generatorSpend } from '../src/core/plan-sweep.js';
import { readRunDb } from './support/read-run-db.js';
import { runAgora } from './support/run-cli.js';
import { metricsSweep, type MetricsSweep } from './support/metrics-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('agora plan covers the metrics stage (its judge and priced embeddings)', () => {
  it("plans each cell's paid metric calls exactly and bounds what the stand-in sweep spent", async () => {
    const s: MetricsSweep = await metricsSweep();
    cleanups.push(s.cleanup);
    const plan = await runAgora(['plan', '--config', s.configFile], { cwd: s.dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/intrinsic metrics: .*paid calls over the cells' samples; its LLM judge \(gen-a\)/);
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate,metrics', '--config', s.configFile], { cwd: s.dir });
    expect(r.code).toBe(0);
    const got = readRunDb(s.dbFile, (db) => ({
      breakdown: (
        JSON.parse((db.prepare(`SELECT value FROM run_meta WHERE key = 'plan_json'`).get() as { value: string }).value) as { breakdown: PlanBreakdown }
      ).breakdown,
      cells: db
        .prepare(
          `SELECT c.generator, c.setting, COUNT(a.id) AS calls, COALESCE(SUM(a.cost_nano), 0) AS nano
           FROM cells c LEFT JOIN api_calls a ON a.cell_id = c.id AND a.purpose = 'metrics' GROUP BY c.id ORDER BY c.id`,
        )
        .all() as Array<{ generator: string; setting: string; calls: number; nano: number }>,
    }))!;
    const b = got.breakdown;
    expect(b.metrics).toBeDefined();
    let spent = 0;
    for (const c of got.cells) {
      const planned = b.cells.find((p) => p.generator === c.generator && p.setting === c.setting)!;
      // Two judge calls per sampled instance, and two embedding requests (instructions, responses).
      expect(planned.metricsCalls).toBe(c.calls);
      spent += c.nano / 1e9;
    }
    // The worst case holds (what caps are checked against). The low bound is a real judge's few
    // sentences of reasoning; the stand-in answers in a few words, so it is not compared.
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(b.metrics!.high);
    // In the total and against the cap of the judge's generator.
    expect(b.total.expected).toBeGreaterThanOrEqual(b.generation.expected + b.metrics!.expected);
    const judged = b.cells.reduce((n, c) => n + (c.metricsJudge?.expected ?? 0), 0);
    expect(judged).toBeGreaterThan(0);
    expect(generatorSpend(b, 'gen-a').judge.expected).toBeCloseTo(judged, 12);
    expect(generatorSpend(b, 'gen-b').judge.expected).toBe(0);
  });
});
