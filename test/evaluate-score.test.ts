import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAlive } from '../src/adapters/runners/process-group.js';
import { stopServerGroup } from '../src/adapters/serve/student-server.js';
import { sweepConfigSchema, type SweepConfig } from '../src/config/schema.js';
import type { CellScores } from '../src/core/snapshot.js';
import { EvaluateDriver, pollEvaluationWorker } from '../src/engine/evaluate-driver.js';
import { ScoreDriver } from '../src/engine/score-driver.js';
import { applyCellEvent, getCell, type CellRow } from '../src/store/cell-repo.js';
import { createJob, endJob, getJob, setJobHandle, setJobPid } from '../src/store/job-repo.js';
import { openStore, type Db } from '../src/store/open-store.js';
import { syncRunFromConfig } from '../src/store/run-repo.js';
import { itemSetKey } from '../src/core/evaluate/item-set.js';
import { baselineNeeds, cellScoresFor } from '../src/store/score-repo.js';
import { EvalProgress } from '../src/workers/evaluate/eval-progress.js';
import { saveBenchmarkScore } from '../src/store/eval-repo.js';
import { baselineSource, cellCheckpoint, sourceIdentity } from '../src/core/evaluate/student-source.js';
import { writeTinyBenchmarks } from './support/student-responder.js';
import { tempDir } from './support/temp-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function store(
  evaluate: unknown,
  settings = ['math/instance', 'math/response', 'inst/instance'],
): { db: Db; config: SweepConfig; runDir: string; cell: (s: string) => CellRow } {
  const t = tempDir('agora-score-');
  cleanups.push(t.cleanup);
  const config = sweepConfigSchema.parse({
    name: 'score-test',
    instancesPerCell: 1,
    budget: { usd: 1 },
    generators: [{ id: 'gpt-4o', provider: 'openai', model: 'gpt-4o', apiKeyEnv: 'SCORE_TEST_OPENAI_KEY', price: { input: 2.5, output: 10 } }],
    settings,
    ...(evaluate !== undefined && { evaluate }),
  });
  const db = openStore(path.join(t.dir, 'agora.db'));
  cleanups.push(() => void db.close());
  syncRunFromConfig(db, config);
  return { db, config, runDir: t.dir, cell: (s) => db.prepare(`SELECT * FROM cells WHERE setting = ?`).get(s) as CellRow };
}

/** Puts a cell at `stage` pending, as the conductor leaves it after the previous stage. */
function at(db: Db, cell: CellRow, stage: 'evaluate' | 'score', progress?: unknown): CellRow {
  db.prepare(`UPDATE cells SET stage = ?, state = 'pending', progress_json = ? WHERE id = ?`).run(
    stage,
    progress === undefined ? null : JSON.stringify(progress),
    cell.id,
  );
  return getCell(db, cell.id);
}

function studentScores(db: Db, cellId: number, scores: Record<string, number>): void {
  for (const [benchmark, score] of Object.entries(scores)) {
    saveBenchmarkScore(db, {
      subject: `cell:${cellId}`,
      benchmark: benchmark as never,
      score,
      n: 100,
      ciLow: null,
      ciHigh: null,
      source: 'evaluated',
      details: {},
    });
  }
}

function scoreNow(db: Db, driver: ScoreDriver, cell: CellRow): CellScores {
  expect(applyCellEvent(db, cell.id, { type: 'start' }, { stage: 'score', state: 'pending' })).toBeDefined();
  driver.launch(getCell(db, cell.id));
  const after = getCell(db, cell.id);
  expect(after).toMatchObject({ stage: 'score', state: 'done' });
  return JSON.parse(after.scores_json!) as CellScores;
}

describe('score stage', () => {
  it('computes PGR as the paper does (MATH: base 19.84, student 28.08, reference 34.60 gives 55.8) and finishes the cell in launch', () => {
    // The paper's reference numbers, asked for explicitly (issue 9: never the default).
    const s = store({ baselines: { base: { scores: { gsm8k: 40, math: 19.84 } }, reference: { scores: 'paper' } } });
    const cell = at(s.db, s.cell('math/instance'), 'score');
    studentScores(s.db, cell.id, { gsm8k: 59.45, math: 28.08 });
    const driver = new ScoreDriver(s.db, s.runDir, s.config, {});
    expect(driver.blockedReason(cell)).toBeUndefined();
    // No baseline to evaluate: scoring is arithmetic and takes no GPU slot.
    expect(driver.capacity()).toBe(Number.MAX_SAFE_INTEGER);
    const scores = scoreNow(s.db, driver, cell);
    expect(scores.benchmarks).toEqual({ gsm8k: 59.45, math: 28.08 });
    const math = scores.pgrByBenchmark.math as { value: number };
    expect(math.value).toBeCloseTo(55.83, 2);
    const gsm = scores.pgrByBenchmark.gsm8k as { value: number };
    expect(gsm.value).toBeCloseTo((100 * 19.45) / 38.9, 6);
    expect((scores.pgr as { value: number }).value).toBeCloseTo((math.value + gsm.value) / 2, 9);
    const job = s.db.prepare(`SELECT stage, state, runner FROM jobs WHERE cell_id = ?`).all(cell.id);
    expect(job).toEqual([{ stage: 'score', state: 'done', runner: 'inline' }]);
    expect(scores.baselines).toEqual({ base: { kind: 'config' }, reference: { kind: 'paper' } });
  });

  it('evaluates the reference checkpoint (Llama-3.1-8B-Instruct) in the same harness by default, once per run, and scores against it', () => {
    const s = store({ baselines: { base: { checkpoint: '/models/llama-3.1-8b' } } });
    const driver = new ScoreDriver(s.db, s.runDir, s.config, {});
    const a = at(s.db, s.cell('math/instance'), 'score');
    // Both baselines are to be evaluated, the reference with the same serve command as the students.
    expect(baselineNeeds(s.db, s.config.evaluate!, 'math')).toEqual([
      {
        subject: 'base',
        source: { kind: 'checkpoint', checkpoint: '/models/llama-3.1-8b', serveCommand: 'vllm serve {checkpoint} --port {port}' },
        benchmarks: ['gsm8k', 'math'],
      },
      {
        subject: 'reference',
        source: { kind: 'checkpoint', checkpoint: 'meta-llama/Llama-3.1-8B-Instruct', serveCommand: 'vllm serve {checkpoint} --port {port}' },
        benchmarks: ['gsm8k', 'math'],
      },
    ]);
    expect(driver.capacity()).toBe(1);
    const save = (subject: 'base' | 'reference', benchmark: 'gsm8k' | 'math', score: number) =>
      saveBenchmarkScore(s.db, {
        subject,
        benchmark,
        score,
        n: 1319,
        ciLow: null,
        ciHigh: null,
        source: 'evaluated',
        details: { itemSet: itemSetKey(benchmark, s.config.evaluate!), model: sourceIdentity(baselineSource(subject, s.config.evaluate!)!, undefined) },
      });
    save('base', 'gsm8k', 50);
    save('base', 'math', 20);
    save('reference', 'gsm8k', 82);
    save('reference', 'math', 40);
    expect(baselineNeeds(s.db, s.config.evaluate!, 'math')).toEqual([]);
    studentScores(s.db, a.id, { gsm8k: 66, math: 30 });
    const scores = scoreNow(s.db, driver, a);
    // Against the evaluated 82 and 40, not the paper's 78.9 and 34.6.
    expect(scores.pgrByBenchmark).toEqual({ gsm8k: { value: 50 }, math: { value: 50 } });
    expect(scores.baselines).toEqual({
      base: { kind: 'evaluated', model: 'checkpoint /models/llama-3.1-8b' },
      reference: { kind: 'evaluated', model: 'checkpoint meta-llama/Llama-3.1-8B-Instruct' },
    });
  });

  it('says the reference has not been evaluated yet rather than falling back to the paper', () => {
    const s = store({ baselines: { base: { scores: { gsm8k: 40, math: 19.84 } } } });
    const cell = s.cell('math/instance');
    studentScores(s.db, cell.id, { gsm8k: 60, math: 28 });
    const scores = cellScoresFor(s.db, s.config, cell);
    expect(scores.pgrByBenchmark.gsm8k).toEqual({ reason: 'the reference model has not been evaluated on GSM8K yet' });
  });

  it('stores the flag and its reason with a PGR that cannot be read as recovery', () => {
    const s = store({ baselines: { base: { scores: { gsm8k: 80, math: 19.84 } }, reference: { scores: 'paper' } } });
    const cell = at(s.db, s.cell('math/instance'), 'score');
    studentScores(s.db, cell.id, { gsm8k: 79, math: 60 });
    const scores = scoreNow(s.db, new ScoreDriver(s.db, s.runDir, s.config, {}), cell);
    expect(scores.pgrByBenchmark.gsm8k).toMatchObject({ flag: expect.stringMatching(/base model \(80\.0\) scores at or above the reference \(78\.9\)/) });
    expect(scores.pgrByBenchmark.math).toMatchObject({ flag: expect.stringMatching(/MATH: PGR 272\.1 is above 150/) });
    expect(scores.pgr).toMatchObject({ flag: expect.stringContaining('GSM8K') });
  });

  it('gives reasons, never zeros, for a missing base model, a missing student score and a zero denominator', () => {
    const s = store({ baselines: { reference: { scores: 'paper' } } });
    const driver = new ScoreDriver(s.db, s.runDir, s.config, {});
    const cell = at(s.db, s.cell('math/instance'), 'score');
    studentScores(s.db, cell.id, { gsm8k: 60 });
    const scores = scoreNow(s.db, driver, cell);
    expect(scores.pgrByBenchmark.gsm8k).toEqual({ reason: expect.stringMatching(/no base-model score on GSM8K: set evaluate\.baselines\.base/) });
    expect(scores.pgrByBenchmark.math).toEqual({ reason: 'no student score on MATH' });
    expect('reason' in scores.pgr).toBe(true);

    const z = store({ baselines: { base: { scores: { gsm8k: 78.9, math: 10 } }, reference: { scores: 'paper' } } });
    const zc = at(z.db, z.cell('math/instance'), 'score');
    studentScores(z.db, zc.id, { gsm8k: 80, math: 20 });
    const zs = scoreNow(z.db, new ScoreDriver(z.db, z.runDir, z.config, {}), zc);
    expect(zs.pgrByBenchmark.gsm8k).toEqual({ reason: expect.stringContaining('zero denominator') });
    expect(zs.pgr).toEqual(zs.pgrByBenchmark.gsm8k);
    expect((zs.pgrByBenchmark.math as { value: number }).value).toBeCloseTo((100 * 10) / 24.6, 9);
  });

  it('waits for a base model that is to be evaluated, one score job per domain, and uses its evaluated scores', () => {
    const evaluate = {
      baselines: { base: { checkpoint: '/models/llama-3.1-8b' }, reference: { scores: 'paper' } },
      benchmarks: { gsm8k: { limit: 50 } },
      maxJobs: 1,
      judge: { generator: 'gpt-4o' },
    };
    const s = store(evaluate);
    const driver = new ScoreDriver(s.db, s.runDir, s.config, {});
    const a = at(s.db, s.cell('math/instance'), 'score');
    const b = at(s.db, s.cell('math/response'), 'score');
    expect(driver.blockedReason(a)).toBeUndefined();
    expect(driver.capacity()).toBe(1);
    // A's score job evaluates the base model; B waits for it rather than evaluating it again.
    applyCellEvent(s.db, a.id, { type: 'start' });
    const job = createJob(s.db, a.id, 'score', 'process', null);
    expect(driver.blockedReason(b)).toMatch(new RegExp(`waiting for the base model's evaluation \\(score job ${job.id}, gpt-4o math/instance\\)`));
    expect(driver.capacity()).toBe(0);
    // Instruction following needs the judge for the base model too, and its key is missing.
    const inst = at(s.db, s.cell('inst/instance'), 'score');
    expect(driver.blockedReason(inst)).toMatch(/base model cannot be evaluated: judge gpt-4o: SCORE_TEST_OPENAI_KEY is not set/);

    const source = baselineSource('base', s.config.evaluate!)!;
    const base = (benchmark: 'gsm8k' | 'math', score: number, itemSet = itemSetKey(benchmark, s.config.evaluate!)) =>
      saveBenchmarkScore(s.db, {
        subject: 'base',
        benchmark,
        score,
        n: 50,
        ciLow: null,
        ciHigh: null,
        source: 'evaluated',
        details: { itemSet, model: sourceIdentity(source, undefined) },
      });
    base('gsm8k', 30);
    // Scored over another item set (MATH-500, while the config asks for the full test set): stale, so still waiting.
    base('math', 10, JSON.stringify({ data: 'download', variant: 'math500' }));
    expect(driver.blockedReason(b)).toMatch(/waiting/);
    base('math', 10);
    expect(driver.blockedReason(b)).toBeUndefined();
    // The instruction-following base scores are still to come, so score jobs still take GPU slots.
    endJob(s.db, job.id, 'done');
    expect(driver.capacity()).toBe(1);
    studentScores(s.db, b.id, { gsm8k: 54.45, math: 22.3 });
    const scores = scoreNow(s.db, driver, b);
    expect((scores.pgrByBenchmark.gsm8k as { value: number }).value).toBeCloseTo((100 * 24.45) / 48.9, 9);
    expect((scores.pgrByBenchmark.math as { value: number }).value).toBeCloseTo((100 * 12.3) / 24.6, 9);
  });
});

describe('evaluate driver', () => {
  it('blocks a cell with neither a checkpoint nor an endpoint, and an instruction-following cell whose judge cannot run', () => {
    // The benchmark files are at hand here (a missing one blocks too: test/evaluate-offline.test.ts).
    const data = tempDir('agora-score-data-');
    cleanups.push(data.cleanup);
    const benchmarks = writeTinyBenchmarks(data.dir).benchmarks;
    const s = store({ judge: { generator: 'gpt-4o', model: 'gpt-4-1106-preview' }, benchmarks });
    const d = new EvaluateDriver(s.db, s.runDir, s.config, {});
    expect(d.blockedReason(at(s.db, s.cell('math/instance'), 'evaluate'))).toMatch(/no trained checkpoint .* no evaluate\.endpoint/);
    const trained = at(s.db, s.cell('math/instance'), 'evaluate', { stage: 'train', step: 10, totalSteps: 10, checkpoint: '/ckpt/math' });
    expect(d.blockedReason(trained)).toBeUndefined();
    // Where the train stage keeps it since schema v3: the cell's own column.
    s.db.prepare(`UPDATE cells SET checkpoint = '/ckpt/col', progress_json = NULL WHERE id = ?`).run(trained.id);
    expect(d.blockedReason(getCell(s.db, trained.id))).toBeUndefined();
    expect(cellCheckpoint(getCell(s.db, trained.id))).toBe('/ckpt/col');
    const inst = at(s.db, s.cell('inst/instance'), 'evaluate', { stage: 'train', step: 1, totalSteps: 1, checkpoint: '/ckpt/inst' });
    expect(d.blockedReason(inst)).toBe('judge gpt-4o: SCORE_TEST_OPENAI_KEY is not set');
    expect(new EvaluateDriver(s.db, s.runDir, s.config, { SCORE_TEST_OPENAI_KEY: 'sk-x' }).blockedReason(inst)).toBeUndefined();

    const noJudge = store({ endpoint: 'http://127.0.0.1:9/v1', benchmarks });
    const d2 = new EvaluateDriver(noJudge.db, noJudge.runDir, noJudge.config, {});
    expect(d2.blockedReason(at(noJudge.db, noJudge.cell('inst/instance'), 'evaluate'))).toMatch(/evaluate\.judge is not configured/);
    expect(d2.blockedReason(at(noJudge.db, noJudge.cell('math/instance'), 'evaluate'))).toBeUndefined();
  });

  it('carries the trained checkpoint along in the evaluate progress, so a retried evaluation still finds it', () => {
    const s = store({});
    const cell = at(s.db, s.cell('math/instance'), 'evaluate', { stage: 'train', step: 5, totalSteps: 5, checkpoint: '/ckpt/a' });
    const p = new EvalProgress(s.db, cell.id, 'evaluate', cellCheckpoint(cell));
    p.addTotal(10, 4, 2);
    p.onGraded();
    p.flush();
    const after = getCell(s.db, cell.id);
    expect(JSON.parse(after.progress_json!)).toEqual({ stage: 'evaluate', graded: 3, total: 10, answered: 4, phase: 'loading', checkpoint: '/ckpt/a' });
    expect(cellCheckpoint(after)).toBe('/ckpt/a');
  });

  it('stops the student server of a worker that died, and reports the job orphaned', async () => {
    const s = store({});
    const cell = at(s.db, s.cell('math/instance'), 'evaluate');
    const dead = spawn('true');
    await new Promise((r) => dead.once('exit', r));
    // Stands in for `vllm serve ... --port 3017`: the group leader's command line carries the port.
    const server = spawn('sleep', ['3017'], { detached: true, stdio: 'ignore' });
    cleanups.push(() => stopServerGroup(server.pid!, 500));
    const job = createJob(s.db, cell.id, 'evaluate', 'process', null);
    setJobPid(s.db, job.id, dead.pid!);
    setJobHandle(s.db, job.id, { server: { pgid: server.pid, port: 3017, logFile: 'x' } });
    expect(await groupAlive(server.pid!)).toBe(true);
    const r = await pollEvaluationWorker(getJob(s.db, job.id));
    expect(r).toEqual({ orphaned: expect.stringMatching(/vanished \(orphaned\).*student server \(process group \d+\) was stopped/) });
    expect(await groupAlive(server.pid!)).toBe(false);
  });

  it('leaves alone a recorded process group whose leader is no longer the server (a recycled PID)', async () => {
    const s = store({});
    const cell = at(s.db, s.cell('math/instance'), 'evaluate');
    const dead = spawn('true');
    await new Promise((r) => dead.once('exit', r));
    const other = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    cleanups.push(() => stopServerGroup(other.pid!, 500));
    const job = createJob(s.db, cell.id, 'evaluate', 'process', null);
    setJobPid(s.db, job.id, dead.pid!);
    setJobHandle(s.db, job.id, { server: { pgid: other.pid, port: 3017, logFile: 'x' } });
    await pollEvaluationWorker(getJob(s.db, job.id));
    expect(await groupAlive(other.pid!)).toBe(true);
  });
});
