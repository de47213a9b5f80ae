import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempStore, testConfig } from '../../test/support/temp-run.js';
import { STAGES } from '../core/cell-state.js';
import { headlessVerdict } from '../cli/headless-verdict.js';
import { listCells } from '../store/cell-repo.js';
import { createJob, endJob } from '../store/job-repo.js';
import { MetricRepo } from '../store/metric-repo.js';
import { ResetRefusedError, resetCellStage } from '../store/reset-repo.js';
import { SnapshotQuery } from '../store/snapshot-query.js';
import type { Db } from '../store/open-store.js';
import { Conductor } from './conductor.js';
import { buildDrivers } from './drivers.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const METRICS_SECTION = { embeddings: { provider: 'openai-compatible', baseURL: 'http://127.0.0.1:9/v1', model: 'e', price: { input: 0 } } };

function run(config = testConfig()) {
  const t = tempStore(config);
  cleanups.push(t.cleanup);
  const at = (stage: string, state: string) => t.db.prepare(`UPDATE cells SET stage = ?, state = ?`).run(stage, state);
  return { ...t, config, at };
}

async function conductor(db: Db, dir: string, config: ReturnType<typeof testConfig>, stages = [...STAGES]) {
  const drivers = await buildDrivers(db, { runDir: dir, config, configFile: path.join(dir, 'sweep.yaml') }, {});
  const c = new Conductor(db, { stages, drivers });
  // Paused: cells advance and block, but no worker process starts.
  c.setPaused(true);
  return c;
}

describe('the metrics stage in the run', () => {
  it('without a metrics: section a run still ends at score/done and exits 0 (regression guard)', async () => {
    const r = run();
    r.at('score', 'done');
    const c = await conductor(r.db, r.dir, r.config);
    await c.tick();
    expect(listCells(r.db).map((x) => [x.stage, x.state])).toEqual([['score', 'done']]);
    expect(c.activeStages()).toEqual(['generate', 'train', 'evaluate', 'score']);
    expect(c.isSettled()).toBe(true);
    const { verdict } = headlessVerdict(c, () => new SnapshotQuery(r.db).take({ runDir: r.dir, readOnly: false }), c.activeStages());
    expect(verdict).toEqual({ code: 0, line: 'the cell finished score' });
  });

  it('a cell left at metrics by a config that has dropped its metrics: section does not keep the run from settling', async () => {
    const r = run();
    r.at('metrics', 'pending');
    const c = await conductor(r.db, r.dir, r.config);
    await c.tick();
    expect(c.isSettled()).toBe(true);
  });

  it('with one, a scored cell goes on to metrics; --stages generate,metrics goes there straight from generation', async () => {
    const config = testConfig({ metrics: METRICS_SECTION });
    const r = run(config);
    r.at('score', 'done');
    await (await conductor(r.db, r.dir, config)).tick();
    expect(listCells(r.db).map((x) => [x.stage, x.state])).toEqual([['metrics', 'pending']]);
    r.at('generate', 'done');
    await (await conductor(r.db, r.dir, config, ['generate', 'metrics'])).tick();
    expect(listCells(r.db).map((x) => [x.stage, x.state])).toEqual([['metrics', 'pending']]);
    // --stages generate,score does not skip into score: it needs a trained student.
    r.at('generate', 'done');
    await (await conductor(r.db, r.dir, config, ['generate', 'score'])).tick();
    expect(listCells(r.db).map((x) => [x.stage, x.state])).toEqual([['generate', 'done']]);
  });

  it('a metrics job that serves a checkpoint shares the GPU slots with evaluations; one that only calls endpoints does not', async () => {
    const served = testConfig({ metrics: { ...METRICS_SECTION, reward: { checkpoint: 'rm', serveCommand: 'serve {checkpoint} --port {port}' } } });
    const r = run(served);
    const cell = listCells(r.db)[0]!;
    const driverOf = async (config: ReturnType<typeof testConfig>) =>
      (await buildDrivers(r.db, { runDir: r.dir, config, configFile: path.join(r.dir, 'sweep.yaml') }, {})).find((d) => d.stage === 'metrics')!;
    const withServer = await driverOf(served);
    const endpointsOnly = await driverOf(testConfig({ metrics: METRICS_SECTION }));
    expect(withServer.capacity([], cell)).toBe(1);
    // evaluate.maxJobs (1) is held by a running evaluation.
    const job = createJob(r.db, cell.id, 'evaluate', 'process', null);
    expect(withServer.capacity([], cell)).toBe(0);
    expect(endpointsOnly.capacity([], cell)).toBe(2);
    endJob(r.db, job.id, 'done');
    expect(withServer.capacity([], cell)).toBe(1);
  });

  it('blocks the stage naming what a metric model lacks (a key)', async () => {
    const config = testConfig({
      metrics: { embeddings: { provider: 'openai', model: 'text-embedding-3-small', apiKeyEnv: 'NO_SUCH_KEY_SET', price: { input: 0.02 } } },
    });
    const r = run(config);
    r.at('metrics', 'pending');
    await (await conductor(r.db, r.dir, config)).tick();
    expect(listCells(r.db).map((x) => [x.state, x.error])).toEqual([['blocked', 'metrics embeddings text-embedding-3-small: NO_SUCH_KEY_SET is not set']]);
  });

  it('reset --stage generate drops the cell metrics; --stage metrics only them, and only for a cell that got there', () => {
    const r = run(testConfig({ metrics: METRICS_SECTION }));
    const cellId = listCells(r.db)[0]!.id;
    r.db.prepare(`INSERT INTO instances (cell_id, seq, instruction, response, instruction_key, created_at) VALUES (?, 1, 'a', 'b', 'a', 0)`).run(cellId);
    const instanceId = new MetricRepo(r.db).instanceIds(cellId)[0]!;
    const repo = new MetricRepo(r.db);
    repo.saveValue(cellId, instanceId, 'quality.reward', 1.5);
    r.at('train', 'done');
    expect(() => resetCellStage(r.db, cellId, 'metrics')).toThrow(ResetRefusedError);
    expect(repo.stored(cellId, 'quality.reward').size).toBe(1);
    r.at('metrics', 'failed');
    resetCellStage(r.db, cellId, 'metrics');
    expect(listCells(r.db).map((x) => [x.stage, x.state])).toEqual([['metrics', 'pending']]);
    expect(repo.stored(cellId, 'quality.reward').size).toBe(0);
    expect(repo.instanceIds(cellId)).toEqual([instanceId]);
    repo.saveVector(cellId, instanceId, 'diversity.response', [1, 0]);
    resetCellStage(r.db, cellId, 'generate');
    expect(repo.stored(cellId, 'diversity.response').size).toBe(0);
  });
});
