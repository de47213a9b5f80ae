import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pause } from '../src/adapters/pause.js';
import { readRunDb } from './support/read-run-db.js';
import { readRun } from './support/metrics-db.js';
import { runAgora, startAgora, waitFor } from './support/run-cli.js';
import { expectedPerplexity, metricsSweep, SAMPLE_SIZE, type MetricsSweep } from './support/metrics-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function setup(): Promise<MetricsSweep> {
  const s = await metricsSweep();
  cleanups.push(s.cleanup);
  return s;
}

describe('metric models served from a command (as evaluation serves students)', () => {
  it('serves a metric model from its command as evaluation serves students: started on a free port, used, stopped', async () => {
    const s = await setup();
    s.writeConfig({ servedPerplexity: true });
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate,metrics', '--config', s.configFile], { cwd: s.dir });
    expect(r.stdout).toContain('all 3 cells finished metrics');
    const run = readRun(s.dbFile);
    const byId = new Map(run.instances.map((i) => [i.id, i]));
    const ppl = run.rows.filter((x) => x.metric === 'difficulty.perplexity');
    expect(ppl).toHaveLength(3 * SAMPLE_SIZE);
    for (const row of ppl) expect(row.value).toBeCloseTo(expectedPerplexity(byId.get(row.instance_id)!.instruction)!, 9);
    // None of those requests reached the sweep's own server: each cell's worker served its own.
    expect(s.server.stats.byPath['/v1/completions'] ?? 0).toBe(0);
    for (const c of run.cells) {
      const log = fs.readFileSync(path.join(s.dir, 'runs/metrics', c.generator, c.setting, 'metrics-perplexity-server.log'), 'utf8');
      const port = /--port (\d+)/.exec(log)![1];
      // Stopped once used: nothing answers on its port any more.
      await expect(fetch(`http://127.0.0.1:${port}/v1/models`)).rejects.toThrow();
    }
    const handles = readRunDb(s.dbFile, (db) => db.prepare(`SELECT handle_json FROM jobs WHERE stage = 'metrics'`).all() as Array<{ handle_json: string }>)!;
    expect(handles.map((h) => JSON.parse(h.handle_json) as unknown)).toEqual(run.cells.map(() => ({ server: null })));
  }, 240_000);

  it('a worker killed while it serves a model leaves no server behind: the conductor stops it from the job handle', async () => {
    const s = await setup();
    expect((await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', s.configFile], { cwd: s.dir })).code).toBe(0);
    // Each perplexity request takes 3 s (4 in a row per cell): the worker is still measuring when
    // the test kills it, even on a loaded machine (without it the worker could finish first, and
    // the test then waited for a server that had rightly stopped).
    s.writeConfig({ servedPerplexity: true, servedLatencyMs: 3_000, maxJobs: 1, concurrency: 1 });
    const run = startAgora(['run', '--no-tui', '--stages', 'generate,metrics', '--config', s.configFile], { cwd: s.dir });
    const { pid, port } = await waitFor(
      () =>
        readRunDb(s.dbFile, (db) => {
          const job = db.prepare(`SELECT pid, handle_json FROM jobs WHERE stage = 'metrics' AND state = 'running'`).get() as
            { pid: number | null; handle_json: string | null } | undefined;
          const server = job?.handle_json ? (JSON.parse(job.handle_json) as { server: { port: number } | null }).server : null;
          return job?.pid && server ? { pid: job.pid, port: server.port } : undefined;
        }),
      'a metrics worker serving its perplexity model',
    );
    // Killed once its model answers, so that "nothing answers" afterwards is the conductor's doing.
    const until = Date.now() + 100_000;
    while (
      !(await fetch(`http://127.0.0.1:${port}/v1/models`).then(
        (res) => res.ok,
        () => false,
      ))
    ) {
      if (Date.now() > until) throw new Error('timed out waiting for the served model to answer');
      await pause(50);
    }
    process.kill(pid, 'SIGKILL');
    const r = await run.done;
    expect(r.stdout).toMatch(/not finished: 1 failed/);
    await expect(fetch(`http://127.0.0.1:${port}/v1/models`)).rejects.toThrow();
    const failed = readRun(s.dbFile).cells.filter((c) => c.state === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatch(/orphaned.*student server \(process group \d+\) was stopped/);
  }, 240_000);
});
