import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepConfigSchema, type SweepConfig } from '../src/config/schema.js';
import type { CellScores } from '../src/core/snapshot.js';
import { Conductor } from '../src/engine/conductor.js';
import { EvaluateDriver } from '../src/engine/evaluate-driver.js';
import { ScoreDriver } from '../src/engine/score-driver.js';
import type { Stage } from '../src/core/cell-state.js';
import { openStore, type Db } from '../src/store/open-store.js';
import { syncRunFromConfig } from '../src/store/run-repo.js';
import type { FakeLlmServer, FakeResponder } from './support/fake-llm-server.js';
import { fakeServer } from './support/stand-in-sweep.js';
import { BAD_MARK, judgeResponder, studentResponder, writeTinyBenchmarks, type StudentRequestLog } from './support/student-responder.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const server = (opts: Parameters<typeof fakeServer>[1]) => fakeServer(cleanups, opts);

interface Setup {
  readonly db: Db;
  readonly runDir: string;
  readonly config: SweepConfig;
  readonly studentLog: StudentRequestLog[];
  readonly baseLog: StudentRequestLog[];
  readonly judge: FakeLlmServer;
  run(stages: readonly Stage[], during?: (c: Conductor) => Promise<void>): Promise<void>;
  cell(setting: string): {
    id: number;
    stage: string;
    state: string;
    error: string | null;
    progress_json: string | null;
    scores_json: string | null;
    cost_nano: number;
  };
}

interface SetupOptions {
  readonly settings: string[];
  readonly budgetUsd: number;
  readonly withBase: boolean;
  /** Real benchmark files and the answers to give instead of the tiny ones. */
  readonly data?: { benchmarks: Record<string, unknown>; answers: ReadonlyArray<readonly [string, string]> };
  readonly judge?: FakeResponder;
  /** Serve each cell's student from this command and a trained checkpoint, instead of evaluate.endpoint. */
  readonly serveCommand?: string;
}

async function setup(opts: SetupOptions): Promise<Setup> {
  const t = tempDir('agora-eval-');
  cleanups.push(t.cleanup);
  const tiny = opts.data ?? writeTinyBenchmarks(path.join(t.dir, 'data'));
  const studentLog: StudentRequestLog[] = [];
  const baseLog: StudentRequestLog[] = [];
  const student = await server({ responder: studentResponder(tiny.answers, { log: studentLog }), models: ['student-model'] });
  const base = await server({ responder: studentResponder([], { fallback: `${BAD_MARK} 0`, log: baseLog }), models: ['base-model'] });
  const judge = await server({ responder: opts.judge ?? judgeResponder() });
  const config = sweepConfigSchema.parse({
    name: 'eval-e2e',
    instancesPerCell: 1,
    budget: { usd: opts.budgetUsd },
    generators: [{ id: 'gen-a', provider: 'openai-compatible', model: 'gen-model', baseURL: judge.openaiBaseURL, price: { input: 1, output: 2 } }],
    settings: opts.settings,
    evaluate: {
      ...(opts.serveCommand ? { serveCommand: opts.serveCommand, readinessTimeoutSeconds: 60 } : { endpoint: student.url }),
      benchmarks: tiny.benchmarks,
      concurrency: 3,
      maxJobs: 2,
      judge: {
        generator: {
          id: 'judge',
          provider: 'openai-compatible',
          model: 'judge-model',
          baseURL: judge.openaiBaseURL,
          price: { input: 1, output: 2 },
          concurrency: 2,
          maxRetries: 1,
        },
      },
      sandbox: { timeoutSeconds: 10, concurrency: 2 },
      // The paper's reference numbers, asked for explicitly (the default evaluates Llama-3.1-8B-Instruct with vLLM).
      baselines: {
        reference: { scores: 'paper' },
        ...(opts.withBase
          ? { base: { endpoint: base.openaiBaseURL } }
          : { base: { scores: { gsm8k: 10, math: 5, mbpp: 20, humaneval: 20, alpaca_eval: 2, arena_hard: 2 } } }),
      },
    },
  });
  const runDir = path.join(t.dir, 'run');
  const db = openStore(path.join(runDir, 'agora.db'));
  cleanups.push(() => void db.close());
  syncRunFromConfig(db, config);
  // These cells arrive as training leaves them; with no checkpoint they use evaluate.endpoint.
  db.prepare(`UPDATE cells SET stage = 'evaluate', state = 'pending', checkpoint = ?`).run(opts.serveCommand ? path.join(t.dir, 'ckpt') : null);
  const env = { ...process.env };
  return {
    db,
    runDir,
    config,
    studentLog,
    baseLog,
    judge,
    async run(stages, during) {
      const drivers = [new EvaluateDriver(db, runDir, config, env, { baseDir: t.dir }), new ScoreDriver(db, runDir, config, env, { baseDir: t.dir })];
      const conductor = new Conductor(db, { stages, drivers });
      const until = Date.now() + 150_000;
      for (;;) {
        await conductor.tick();
        await during?.(conductor);
        if (conductor.isSettled()) return;
        if (Date.now() > until) throw new Error(`not settled: ${JSON.stringify(db.prepare(`SELECT setting, stage, state, error FROM cells`).all())}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    cell: (setting) => db.prepare(`SELECT * FROM cells WHERE setting = ?`).get(setting) as ReturnType<Setup['cell']>,
  };
}

/** Worker processes start slowly on a loaded machine; the run loop has its own limit below this. */
const E2E_TIMEOUT = 180_000;

const pgrOf = (student: number, base: number, ref: number) => (100 * (student - base)) / (ref - base);

describe('evaluate and score stages end to end (worker processes, fake student, baseline and judge servers)', () => {
  it(
    'evaluates every cell, evaluates the base model once, scores PGR against it, and charges every judge call',
    async () => {
      const s = await setup({ settings: ['math/instance', 'code/instance', 'inst/instance'], budgetUsd: 50, withBase: true });
      const math = s.cell('math/instance');
      // An answer stored by an earlier, interrupted run is kept and not asked again.
      s.db
        .prepare(`INSERT INTO eval_items (subject, cell_id, benchmark, item_id, output, created_at) VALUES (?, ?, 'gsm8k', '0', ?, 0)`)
        .run(`cell:${math.id}`, math.id, 'PRESTORED: 3 + 2 = 5 #### 5');

      await s.run(['evaluate']);
      for (const setting of ['math/instance', 'code/instance', 'inst/instance']) {
        const c = s.cell(setting);
        expect(c, c.error ?? '').toMatchObject({ stage: 'evaluate', state: 'done' });
        const p = JSON.parse(c.progress_json!) as Record<string, unknown>;
        expect(p).toMatchObject({ stage: 'evaluate', phase: 'done' });
        expect(p.graded).toBe(p.total);
        expect(p.answered).toBe(p.total);
      }
      expect(JSON.parse(s.cell('math/instance').progress_json!)).toMatchObject({ graded: 6, total: 6 });
      expect(s.studentLog.some((r) => r.prompt.includes('Tom has 3 apples'))).toBe(false);
      expect(s.studentLog).toHaveLength(6 + 3 + 4 - 1);
      for (const r of s.studentLog) {
        const isMath = /apples|pens|pages|birds|\$/.test(r.prompt);
        expect(r).toMatchObject({ temperature: isMath ? 0.2 : 0, topP: 0.95, maxTokens: 1024, repetitionPenalty: 1.03 });
      }
      expect(s.baseLog).toHaveLength(0);

      await s.run(['evaluate', 'score']);
      for (const setting of ['math/instance', 'code/instance', 'inst/instance'])
        expect(s.cell(setting), s.cell(setting).error ?? '').toMatchObject({ stage: 'score', state: 'done' });
      // The base model answered every benchmark once, across the three score jobs.
      expect(s.baseLog).toHaveLength(6 + 3 + 4);
      const baseScores = Object.fromEntries(
        (s.db.prepare(`SELECT benchmark, score FROM benchmark_scores WHERE subject = 'base'`).all() as Array<{ benchmark: string; score: number }>).map((r) => [
          r.benchmark,
          r.score,
        ]),
      );
      expect(baseScores).toMatchObject({ gsm8k: 0, math: 0, mbpp: 0, humaneval: 0, arena_hard: 0 });

      const mathScores = JSON.parse(s.cell('math/instance').scores_json!) as CellScores;
      expect(mathScores.benchmarks).toEqual({ gsm8k: 50, math: 50 });
      expect(mathScores.pgrByBenchmark.gsm8k).toEqual({ value: pgrOf(50, 0, 78.9) });
      expect(mathScores.pgrByBenchmark.math).toEqual({ value: pgrOf(50, 0, 34.6) });
      expect(mathScores.pgr).toEqual({ value: (pgrOf(50, 0, 78.9) + pgrOf(50, 0, 34.6)) / 2 });
      const stored = s.db.prepare(`SELECT output, score FROM eval_items WHERE subject = ? AND benchmark = 'gsm8k' AND item_id = '0'`).get(`cell:${math.id}`);
      expect(stored).toEqual({ output: 'PRESTORED: 3 + 2 = 5 #### 5', score: 1 });

      const code = JSON.parse(s.cell('code/instance').scores_json!) as CellScores;
      expect(code.benchmarks).toEqual({ mbpp: 50, humaneval: 100 });
      expect(code.pgr).toEqual({ value: (pgrOf(50, 0, 68.5) + pgrOf(100, 0, 69.5)) / 2 });

      const inst = JSON.parse(s.cell('inst/instance').scores_json!) as CellScores;
      // q1 won both games strongly, q2 lost both strongly: half of the weighted battles.
      expect(inst.benchmarks.arena_hard).toBe(50);
      expect(inst.benchmarks.alpaca_eval).toBeGreaterThan(0);
      expect(inst.benchmarks.alpaca_eval).toBeLessThan(100);
      expect('value' in inst.pgr).toBe(true);

      // Judge calls: 2 AlpacaEval + 2x2 Arena-Hard games per subject; the student's are charged to its cell, the base's to none.
      const calls = s.db.prepare(`SELECT cell_id, generator, purpose, cost_nano FROM api_calls`).all() as Array<{
        cell_id: number | null;
        generator: string;
        purpose: string;
        cost_nano: number;
      }>;
      expect(calls.every((c) => c.purpose === 'judge' && c.generator === 'judge' && c.cost_nano > 0)).toBe(true);
      const instCell = s.cell('inst/instance');
      expect(calls.filter((c) => c.cell_id === instCell.id)).toHaveLength(6);
      expect(calls.filter((c) => c.cell_id === null)).toHaveLength(6);
      expect(instCell.cost_nano).toBe(calls.filter((c) => c.cell_id === instCell.id).reduce((a, c) => a + c.cost_nano, 0));
      const ledger = s.db.prepare(`SELECT spent_nano, reserved_nano FROM ledger WHERE scope = '*'`).get() as { spent_nano: number; reserved_nano: number };
      expect(ledger).toEqual({ spent_nano: calls.reduce((a, c) => a + c.cost_nano, 0), reserved_nano: 0 });
      expect(s.db.prepare(`SELECT COUNT(*) AS n FROM reservations`).get()).toEqual({ n: 0 });
      expect(s.db.prepare(`SELECT COUNT(*) AS n FROM eval_items WHERE subject = 'base' AND cell_id IS NULL AND score IS NOT NULL`).get()).toEqual({ n: 13 });
    },
    E2E_TIMEOUT,
  );

  it(
    'stops an instruction-following cell at the budget cap before judging, keeping its answers',
    async () => {
      const s = await setup({ settings: ['inst/response'], budgetUsd: 0.0005, withBase: false });
      await s.run(['evaluate', 'score']);
      const c = s.cell('inst/response');
      expect(c).toMatchObject({ stage: 'evaluate', state: 'budget-exhausted' });
      expect(s.db.prepare(`SELECT COUNT(*) AS n FROM eval_items WHERE output IS NOT NULL`).get()).toEqual({ n: 4 });
      expect(s.db.prepare(`SELECT COUNT(*) AS n FROM eval_items WHERE verdict_json IS NOT NULL`).get()).toEqual({ n: 0 });
      expect(s.judge.stats.byPath['/v1/chat/completions'] ?? 0).toBe(0);
      expect(s.db.prepare(`SELECT spent_nano, reserved_nano FROM ledger WHERE scope = '*'`).get()).toEqual({ spent_nano: 0, reserved_nano: 0 });
    },
    E2E_TIMEOUT,
  );

  it(
    'fails a cell whose judge keeps failing, and settles the judge call still out before the worker exits',
    async () => {
      const plain = judgeResponder();
      let slowAnswered = false;
      const s = await setup({
        settings: ['inst/quality'],
        budgetUsd: 10,
        withBase: false,
        judge: async (req) => {
          const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
          if (!user.includes('Explain what a greeting is.')) return plain(req);
          // Arena-Hard q1: the game with the baseline as A fails every time; the other is slow.
          if (user.indexOf('A greeting is a polite word.') < user.indexOf("Assistant B's Answer")) throw new Error('judge overloaded');
          await new Promise((r) => setTimeout(r, 2500));
          slowAnswered = true;
          return plain(req);
        },
      });
      await s.run(['evaluate']);
      expect(s.cell('inst/quality')).toMatchObject({ stage: 'evaluate', state: 'failed', error: expect.stringMatching(/server.*judge overloaded/) });
      expect(slowAnswered).toBe(true);
      expect(s.db.prepare(`SELECT COUNT(*) AS n FROM reservations`).get()).toEqual({ n: 0 });
      const calls = s.db.prepare(`SELECT outcome, cost_nano FROM api_calls`).all() as Array<{ outcome: string; cost_nano: number }>;
      const ledger = s.db.prepare(`SELECT spent_nano, reserved_nano FROM ledger WHERE scope = '*'`).get() as { spent_nano: number; reserved_nano: number };
      expect(ledger).toEqual({ spent_nano: calls.reduce((a, c) => a + c.cost_nano, 0), reserved_nano: 0 });
      expect(calls.filter((c) => c.outcome === 'error')).toHaveLength(1);
      // The verdicts reached before the failure are kept for the retry.
      expect(s.db.prepare(`SELECT COUNT(*) AS n FROM eval_items WHERE benchmark = 'alpaca_eval' AND verdict_json IS NOT NULL`).get()).toEqual({ n: 2 });
    },
    E2E_TIMEOUT,
  );
});

const SERVE = `cd ${REPO_ROOT} && exec node --import tsx test/support/fake-llm-server-main.ts --port {port}`;
const listening = (port: number) =>
  fetch(`http://127.0.0.1:${port}/v1/models`).then(
    () => true,
    () => false,
  );

describe('evaluate stage serving the trained checkpoint from the serve command', () => {
  it(
    'starts the student server for the cell, evaluates through it, and stops it',
    async () => {
      const s = await setup({ settings: ['code/response'], budgetUsd: 1, withBase: false, serveCommand: `${SERVE} # {checkpoint}` });
      await s.run(['evaluate']);
      const c = s.cell('code/response');
      expect(c, c.error ?? '').toMatchObject({ stage: 'evaluate', state: 'done' });
      // The fake echoes the prompt: no code, so nothing passes.
      expect(s.db.prepare(`SELECT benchmark, score FROM benchmark_scores ORDER BY benchmark`).all()).toEqual([
        { benchmark: 'humaneval', score: 0 },
        { benchmark: 'mbpp', score: 0 },
      ]);
      const log = fs.readFileSync(path.join(s.runDir, 'gen-a/code/response/evaluate-server.log'), 'utf8');
      const port = Number(/--port (\d+)/.exec(log)?.[1]);
      expect(log).toContain(path.join(path.dirname(s.runDir), 'ckpt'));
      expect(await listening(port)).toBe(false);
      expect(JSON.parse((s.db.prepare(`SELECT handle_json FROM jobs`).get() as { handle_json: string }).handle_json)).toEqual({ server: null });
      expect(JSON.parse(c.progress_json!)).toMatchObject({ stage: 'evaluate', checkpoint: path.join(path.dirname(s.runDir), 'ckpt') });
    },
    E2E_TIMEOUT,
  );

  it(
    'stops the student server when the evaluation is cancelled mid-way',
    async () => {
      const s = await setup({ settings: ['math/quality'], budgetUsd: 1, withBase: false, serveCommand: `${SERVE} --latency-ms 4000` });
      let port: number | undefined;
      let cancelled = false;
      await s.run(['evaluate'], async (conductor) => {
        const job = s.db.prepare(`SELECT handle_json FROM jobs`).get() as { handle_json: string | null } | undefined;
        const server = job?.handle_json ? (JSON.parse(job.handle_json) as { server: { port: number } | null }).server : null;
        const phase = (JSON.parse(s.cell('math/quality').progress_json ?? '{}') as { phase?: string }).phase;
        if (!cancelled && server && phase === 'answering') {
          port = server.port;
          expect(await listening(port)).toBe(true);
          cancelled = await conductor.cancel(s.cell('math/quality').id);
        }
      });
      expect(cancelled).toBe(true);
      expect(s.cell('math/quality')).toMatchObject({ stage: 'evaluate', state: 'cancelled' });
      expect(await listening(port!)).toBe(false);
      expect(s.db.prepare(`SELECT COUNT(*) AS n FROM eval_items`).get()).toEqual({ n: 0 });
    },
    E2E_TIMEOUT,
  );
});

const SHARED = path.resolve(REPO_ROOT, '../shared/data');
const haveShared = fs.existsSync(path.join(SHARED, 'gsm8k/test.jsonl')) && fs.existsSync(path.join(SHARED, 'math/math500_test.jsonl'));
if (!haveShared) console.warn(`skipping the real-data evaluation test: ${SHARED} is absent`);

describe.skipIf(!haveShared)('evaluate stage on the real GSM8K and MATH-500 files', () => {
  it(
    'grades the first items of each with the public data formats and the configured limits',
    async () => {
      const read = (f: string) =>
        fs
          .readFileSync(path.join(SHARED, f), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, string>);
      const gsm = read('gsm8k/test.jsonl').slice(0, 10);
      const math = read('math/math500_test.jsonl').slice(0, 4);
      // Right on the first half of each (GSM8K's own reference solution; MATH's answer boxed), wrong on the rest.
      const answers: Array<readonly [string, string]> = [
        ...gsm.map((r, i) => [r.question!.trim(), i < 5 ? r.answer! : `${BAD_MARK} #### 987654321`] as const),
        ...math.map((r, i) => [r.problem!.trim(), i < 2 ? `The answer is $\\boxed{${r.answer!}}$.` : `${BAD_MARK} $\\boxed{987654321}$`] as const),
      ];
      const s = await setup({
        settings: ['math/response'],
        budgetUsd: 1,
        withBase: false,
        data: {
          benchmarks: {
            gsm8k: { dataFile: path.join(SHARED, 'gsm8k/test.jsonl'), limit: 10 },
            math: { dataFile: path.join(SHARED, 'math/math500_test.jsonl'), limit: 4 },
          },
          answers,
        },
      });
      await s.run(['evaluate']);
      const c = s.cell('math/response');
      expect(c, c.error ?? '').toMatchObject({ stage: 'evaluate', state: 'done' });
      const scores = Object.fromEntries(
        (s.db.prepare(`SELECT benchmark, score, n FROM benchmark_scores`).all() as Array<{ benchmark: string; score: number; n: number }>).map((r) => [
          r.benchmark,
          [r.score, r.n],
        ]),
      );
      expect(scores).toEqual({ gsm8k: [50, 10], math: [50, 4] });
      expect(s.studentLog).toHaveLength(14);
    },
    E2E_TIMEOUT,
  );
});
