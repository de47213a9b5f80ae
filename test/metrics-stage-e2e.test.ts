import { afterEach, describe, expect, it } from 'vitest';
import { METRICS } from '../src/core/metrics/metric-ids.js';
import { metricSample } from '../src/core/metrics/sample.js';
import { readRunDb } from './support/read-run-db.js';
import { readRun, type Row } from './support/metrics-db.js';
import { runAgora, startAgora, waitFor } from './support/run-cli.js';
import {
  expectedEmbedding,
  expectedPerplexity,
  expectedReward,
  judgeScore,
  metricsSweep,
  SAMPLE_SIZE,
  standInTokens,
  type MetricsSweep,
} from './support/metrics-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function setup(): Promise<MetricsSweep> {
  const s = await metricsSweep();
  cleanups.push(s.cleanup);
  return s;
}

const vectorOf = (b: Buffer) => Array.from({ length: b.length / 4 }, (_, i) => b.readFloatLE(i * 4));

/** Each cell's sample, drawn as the stage draws it (seed 42, the cell). */
function samples(run: ReturnType<typeof readRun>) {
  return new Map(
    run.cells.map((c) => [
      c.id,
      metricSample(
        run.instances.filter((i) => i.cell_id === c.id).map((i) => i.id),
        SAMPLE_SIZE,
        { seed: 42, generator: c.generator, setting: c.setting },
      ),
    ]),
  );
}

describe('the metrics stage end to end (three generators, real workers, the stand-in)', () => {
  it('measures every metric of each sampled instance by the stand-in formulas, and the paid ones are in the ledger as metrics', async () => {
    const s = await setup();
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate,metrics', '--config', s.configFile], { cwd: s.dir });
    expect(r.stdout).toContain('all 3 cells finished metrics');
    expect(r.code).toBe(0);
    const run = readRun(s.dbFile);
    expect(run.cells.map((c) => [c.stage, c.state])).toEqual([
      ['metrics', 'done'],
      ['metrics', 'done'],
      ['metrics', 'done'],
    ]);
    const sample = samples(run);
    const byId = new Map(run.instances.map((i) => [i.id, i]));
    expect(run.rows).toHaveLength(3 * SAMPLE_SIZE * METRICS.length);
    let failures = 0;
    for (const row of run.rows) {
      expect(sample.get(row.cell_id)).toContain(row.instance_id);
      const inst = byId.get(row.instance_id)!;
      const [kind, by] = row.metric.split('.') as [string, string];
      if (by === 'judge' || by === 'openJudge') {
        const want = judgeScore(by === 'judge' ? 'judge-model' : 'open-model', kind as 'difficulty' | 'quality', inst.instruction, inst.response);
        expect(row.value).toBe(want ?? null);
        if (want === undefined) {
          failures++;
          expect(JSON.parse(row.detail_json!)).toMatchObject({ error: expect.stringMatching(/no "\[SCORE\] n" line/) });
        }
      } else if (row.metric === 'difficulty.perplexity') {
        expect(row.value).toBeCloseTo(expectedPerplexity(inst.instruction)!, 9);
      } else if (row.metric === 'quality.reward') {
        expect(row.value).toBeCloseTo(expectedReward(inst.instruction, inst.response), 9);
      } else {
        expect(row.value).toBeNull();
        const want = expectedEmbedding(row.metric === 'diversity.instruction' ? inst.instruction : inst.response);
        vectorOf(row.vector!).forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 6));
      }
    }
    // About a third of the LLM judge's verdicts have no score line (the stand-in's rule): stored as failures.
    expect(failures).toBeGreaterThan(0);
    for (const c of run.cells) expect(JSON.parse(c.progress_json!)).toMatchObject({ stage: 'metrics', done: SAMPLE_SIZE * 8, total: SAMPLE_SIZE * 8 });

    // The LLM judge (gen-a's key and cap, judge-model's price) and the priced embeddings: purpose metrics, charged to each cell.
    const judge = run.calls.filter((c) => c.generator === 'gen-a');
    expect(judge).toHaveLength(3 * SAMPLE_SIZE * 2);
    for (const c of judge) expect(c.cost_nano).toBe(c.tokens_in * 1000 + c.tokens_out * 2000);
    const embed = run.calls.filter((c) => c.generator === 'embeddings:embed-model');
    expect(embed).toHaveLength(3 * 2);
    const texts = run.cells.flatMap((c) => sample.get(c.id)!.flatMap((id) => [byId.get(id)!.instruction, byId.get(id)!.response]));
    const tokens = texts.reduce((n, t) => n + standInTokens(t), 0);
    expect(embed.reduce((n, c) => n + c.tokens_in, 0)).toBe(tokens);
    expect(embed.reduce((n, c) => n + c.cost_nano, 0)).toBe(tokens * 500);
    expect(new Set(run.calls.map((c) => c.cell_id))).toEqual(new Set(run.cells.map((c) => c.id)));
    expect(run.calls.every((c) => c.outcome === 'ok')).toBe(true);
    expect(run.spentNano).toBe(run.callSumNano);
    expect(run.openReservations).toBe(0);
  }, 180_000);

  it('a worker killed mid-way (kill -9, with its conductor) resumes without asking again for any stored row', async () => {
    const s = await setup();
    expect((await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', s.configFile], { cwd: s.dir })).code).toBe(0);
    s.writeConfig({ maxJobs: 1, concurrency: 1 });
    s.server.setLatency(60);
    const first = startAgora(['run', '--no-tui', '--stages', 'generate,metrics', '--config', s.configFile], { cwd: s.dir });
    const pid = await waitFor(
      () =>
        readRunDb(s.dbFile, (db) => {
          const n = (db.prepare(`SELECT COUNT(*) AS n FROM instance_metrics`).get() as { n: number }).n;
          const job = db.prepare(`SELECT pid FROM jobs WHERE stage = 'metrics' AND state = 'running'`).get() as { pid: number | null } | undefined;
          return n >= 10 && job?.pid ? job.pid : undefined;
        }),
      'ten metric rows stored by a running metrics worker',
    );
    first.child.kill('SIGKILL');
    process.kill(pid, 'SIGKILL');
    await first.done;
    const before = readRun(s.dbFile).rows;
    expect(before.length).toBeLessThan(3 * SAMPLE_SIZE * 8);

    s.server.setLatency(0);
    s.server.resetStats();
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate,metrics', '--config', s.configFile], { cwd: s.dir });
    expect(r.stdout).toContain('all 3 cells finished metrics');
    const after = readRun(s.dbFile);
    expect(after.rows).toHaveLength(3 * SAMPLE_SIZE * 8);
    // Rows stored before the kill are the same rows, untouched.
    const afterByKey = new Map(after.rows.map((x) => [`${x.cell_id}/${x.instance_id}/${x.metric}`, x]));
    for (const b of before) expect(afterByKey.get(`${b.cell_id}/${b.instance_id}/${b.metric}`)).toEqual(b);
    // Requests after the restart: exactly one per row that was missing (a batch per cell and metric for embeddings).
    const missing = (pred: (m: string) => boolean) => after.rows.filter((x) => pred(x.metric)).length - before.filter((x) => pred(x.metric)).length;
    const stats = s.server.stats.byPath;
    expect(stats['/v1/chat/completions'] ?? 0).toBe(missing((m) => m.endsWith('.judge') || m.endsWith('.openJudge')));
    expect(stats['/v1/completions'] ?? 0).toBe(missing((m) => m === 'difficulty.perplexity'));
    expect(stats['/pooling'] ?? 0).toBe(missing((m) => m === 'quality.reward'));
    const groups = (rows: readonly Row[]) => new Set(rows.filter((x) => x.metric.startsWith('diversity.')).map((x) => `${x.cell_id}/${x.metric}`));
    const fullBefore = [...groups(before)].filter((g) => before.filter((x) => `${x.cell_id}/${x.metric}` === g).length === SAMPLE_SIZE).length;
    expect(stats['/v1/embeddings'] ?? 0).toBe(3 * 2 - fullBefore);
    expect(after.openReservations).toBe(0);
    expect(after.spentNano).toBe(after.callSumNano);
  }, 240_000);

  it('a cap reached mid-way ends the cells budget-exhausted, with nothing spent over the cap', async () => {
    const s = await setup();
    expect((await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', s.configFile], { cwd: s.dir })).code).toBe(0);
    const spentOnGeneration = readRun(s.dbFile).spentNano;
    // Room for a few of the judge's calls (each reserves ~$0.0025 and costs ~$0.0003): fewer than
    // one cell's 8, so no cell finishes, but more than none, so the cap is reached mid-way.
    const capNano = spentOnGeneration + 4_000_000;
    s.writeConfig({ budgetUsd: capNano / 1e9 });
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate,metrics', '--config', s.configFile], { cwd: s.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/budget-exhausted/);
    const run = readRun(s.dbFile);
    expect(run.cells.some((c) => c.stage === 'metrics' && c.state === 'budget-exhausted')).toBe(true);
    expect(run.cells.every((c) => c.stage === 'metrics' && c.state !== 'done')).toBe(true);
    const judged = run.rows.filter((x) => x.metric.endsWith('.judge'));
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.length).toBeLessThan(3 * SAMPLE_SIZE * 2);
    expect(run.spentNano).toBeLessThanOrEqual(capNano);
    expect(run.spentNano).toBe(run.callSumNano);
    expect(run.openReservations).toBe(0);
    // Every stored judge row was paid for: one settled call each.
    expect(run.calls.filter((c) => c.generator === 'gen-a' && c.outcome === 'ok')).toHaveLength(judged.length);
  }, 180_000);
});
