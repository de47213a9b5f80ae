import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepConfigSchema, type SweepConfig } from '../src/config/schema.js';
import { costNano } from '../src/core/cost.js';
import { Conductor } from '../src/engine/conductor.js';
import { EvaluateDriver } from '../src/engine/evaluate-driver.js';
import { ScoreDriver } from '../src/engine/score-driver.js';
import { generatorProblemSolving } from '../src/store/generator-scores.js';
import { openStore, type Db } from '../src/store/open-store.js';
import { syncRunFromConfig } from '../src/store/run-repo.js';
import type { FakeLlmServer } from './support/fake-llm-server.js';
import { fakeServer } from './support/stand-in-sweep.js';
import { judgeResponder, studentResponder, writeTinyBenchmarks, type StudentRequestLog } from './support/student-responder.js';
import { tempDir } from './support/temp-run.js';

// The generators' own scores (issue 13, the paper's Table 7): each generator answers the
// benchmarks through its own API (the real openai and @anthropic-ai/sdk clients against the fake
// server) in a score job's worker process, every answer a paid call in the ledger.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const server = (opts: Parameters<typeof fakeServer>[1]) => fakeServer(cleanups, opts);

const ANTHROPIC_KEY = 'GS_TEST_ANTHROPIC_KEY';

interface Setup {
  readonly db: Db;
  readonly config: SweepConfig;
  /** What each generator's stand-in was asked, by generator id. */
  readonly asked: Record<string, StudentRequestLog[]>;
  readonly generators: Record<string, FakeLlmServer>;
  run(config?: SweepConfig, during?: (c: Conductor) => Promise<void>): Promise<void>;
  configWith(budget: Record<string, unknown>): SweepConfig;
}

async function setup(opts: { settings: string[]; generatorScores: unknown; budget?: Record<string, unknown>; latencyMs?: number }): Promise<Setup> {
  const t = tempDir('agora-genscores-');
  cleanups.push(t.cleanup);
  const tiny = writeTinyBenchmarks(path.join(t.dir, 'data'));
  const asked: Record<string, StudentRequestLog[]> = { oai: [], claude: [] };
  const student = await server({ responder: studentResponder(tiny.answers), models: ['student-model'] });
  // The generators answer as the student does: their scores must be what grading those answers gives.
  const slow = (log: StudentRequestLog[]) => {
    const answer = studentResponder(tiny.answers, { log });
    return async (req: Parameters<typeof answer>[0]) => {
      if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
      return answer(req);
    };
  };
  const oai = await server({ responder: slow(asked.oai!) });
  const claude = await server({ responder: slow(asked.claude!) });
  const judge = await server({ responder: judgeResponder() });
  const configWith = (budget: Record<string, unknown>) =>
    sweepConfigSchema.parse({
      name: 'genscores',
      instancesPerCell: 1,
      budget,
      generators: [
        { id: 'oai', provider: 'openai-compatible', model: 'oai-model', baseURL: oai.openaiBaseURL, price: { input: 100, output: 1000 }, concurrency: 1 },
        {
          id: 'claude',
          provider: 'anthropic',
          model: 'claude-model',
          baseURL: claude.anthropicBaseURL,
          apiKeyEnv: ANTHROPIC_KEY,
          price: { input: 3, output: 15 },
        },
      ],
      settings: opts.settings,
      evaluate: {
        endpoint: student.url,
        benchmarks: tiny.benchmarks,
        concurrency: 3,
        judge: {
          generator: {
            id: 'judge',
            provider: 'openai-compatible',
            model: 'judge-model',
            baseURL: judge.openaiBaseURL,
            price: { input: 1, output: 2 },
            concurrency: 2,
          },
        },
        sandbox: { timeoutSeconds: 10, concurrency: 2 },
        baselines: { base: { scores: { gsm8k: 10, math: 5, mbpp: 20, humaneval: 20, alpaca_eval: 2, arena_hard: 2 } }, reference: { scores: 'paper' } },
        generatorScores: opts.generatorScores,
      },
    });
  const config = configWith(opts.budget ?? { usd: 50 });
  const runDir = path.join(t.dir, 'run');
  const db = openStore(path.join(runDir, 'agora.db'));
  cleanups.push(() => void db.close());
  syncRunFromConfig(db, config);
  db.prepare(`UPDATE cells SET stage = 'evaluate', state = 'pending'`).run();
  const env = { ...process.env, [ANTHROPIC_KEY]: 'sk-ant-test' };
  return {
    db,
    config,
    asked,
    generators: { oai, claude },
    configWith,
    async run(cfg = config, during) {
      syncRunFromConfig(db, cfg);
      const drivers = [new EvaluateDriver(db, runDir, cfg, env, { baseDir: t.dir }), new ScoreDriver(db, runDir, cfg, env, { baseDir: t.dir })];
      const conductor = new Conductor(db, { stages: ['evaluate', 'score'], drivers });
      const until = Date.now() + 150_000;
      for (;;) {
        await conductor.tick();
        await during?.(conductor);
        if (conductor.isSettled()) return;
        if (Date.now() > until) throw new Error(`not settled: ${JSON.stringify(db.prepare(`SELECT setting, stage, state, error FROM cells`).all())}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

const E2E_TIMEOUT = 180_000;
type Call = { generator: string; cell_id: number | null; purpose: string; cost_nano: number; tokens_in: number; tokens_out: number; outcome: string };
const calls = (db: Db) => db.prepare(`SELECT generator, cell_id, purpose, cost_nano, tokens_in, tokens_out, outcome FROM api_calls`).all() as Call[];
const scoresOf = (db: Db, subject: string) =>
  Object.fromEntries(
    (db.prepare(`SELECT benchmark, score FROM benchmark_scores WHERE subject = ?`).all(subject) as Array<{ benchmark: string; score: number }>).map((r) => [
      r.benchmark,
      r.score,
    ]),
  );
const cells = (db: Db) =>
  db.prepare(`SELECT id, generator, setting, stage, state, error, scores_json FROM cells ORDER BY id`).all() as Array<Record<string, unknown>>;

describe("the generators' own scores, through their APIs (worker processes, fake servers)", () => {
  it(
    'evaluates each generator once on the domains of the sweep, scores its answers as a student, and charges every answer to it',
    async () => {
      const s = await setup({ settings: ['math/instance', 'inst/instance'], generatorScores: true });
      await s.run();
      for (const c of cells(s.db)) expect(c, String(c.error)).toMatchObject({ stage: 'score', state: 'done' });
      // One score job per domain evaluated the generators, as a process that serves no student (runner
      // `api`, outside the GPU slots); the other cells were scored at once, in the conductor.
      const runners = s.db.prepare(`SELECT runner FROM jobs WHERE stage = 'score' ORDER BY runner`).pluck().all();
      expect(runners).toEqual(['api', 'api', 'inline', 'inline']);
      const student = scoresOf(s.db, `cell:${(cells(s.db)[0] as { id: number }).id}`);
      for (const id of ['oai', 'claude']) {
        const got = scoresOf(s.db, `generator:${id}`);
        // Same answers as the student, same harness: the same scores (GSM8K and MATH half right), judged ones included.
        expect(got).toMatchObject({ gsm8k: 50, math: 50 });
        expect(Object.keys(got).sort()).toEqual(['alpaca_eval', 'arena_hard', 'gsm8k', 'math']);
        const instStudent = scoresOf(s.db, `cell:${(cells(s.db).find((c) => c.setting === 'inst/instance') as { id: number }).id}`);
        expect(got.alpaca_eval).toBeCloseTo(instStudent.alpaca_eval!, 9);
        expect(got.arena_hard).toBeCloseTo(instStudent.arena_hard!, 9);
        expect(got.gsm8k).toBe(student.gsm8k);
        // Asked each item once: 4 GSM8K + 2 MATH + 2 AlpacaEval + 2 Arena-Hard, with the students' settings.
        expect(s.asked[id]).toHaveLength(10);
        expect(new Set(s.asked[id]!.map((r) => r.prompt)).size).toBe(10);
        expect(s.asked[id]!.every((r) => r.maxTokens === 1024)).toBe(true);
      }
      // The paper's sampling (Claude's SDK sends none: README, Money), and a repetition penalty only where the provider takes one.
      const math = s.asked.oai!.filter((r) => /apples|pens|pages|birds|\$/.test(r.prompt));
      expect(math.map((r) => r.temperature)).toEqual([0.2, 0.2, 0.2, 0.2, 0.2, 0.2]);
      expect(s.asked.oai!.every((r) => r.repetitionPenalty === 1.03)).toBe(true);
      expect(s.asked.claude!.every((r) => r.repetitionPenalty === undefined)).toBe(true);
      expect(s.generators.claude!.stats.byPath['/v1/messages']).toBe(10);

      const all = calls(s.db);
      for (const g of s.config.generators) {
        const solve = all.filter((c) => c.purpose === 'solve' && c.generator === g.id);
        expect(solve).toHaveLength(10);
        expect(solve.every((c) => c.cell_id === null && c.outcome === 'ok')).toBe(true);
        // At its price, to the token the provider reported.
        for (const c of solve) expect(c.cost_nano).toBe(costNano({ inputTokens: c.tokens_in, outputTokens: c.tokens_out }, g.price));
        const spent = s.db.prepare(`SELECT spent_nano, reserved_nano FROM ledger WHERE scope = ?`).get(g.id);
        expect(spent).toEqual({ spent_nano: solve.reduce((a, c) => a + c.cost_nano, 0), reserved_nano: 0 });
      }
      // The judge graded the generators' AlpacaEval and Arena-Hard answers, charged to no cell: 2 + 2x2 each.
      expect(all.filter((c) => c.purpose === 'judge' && c.cell_id === null)).toHaveLength(2 * 6);
      expect(s.db.prepare(`SELECT COUNT(*) AS n FROM reservations`).get()).toEqual({ n: 0 });

      const ps = generatorProblemSolving(s.db, s.config);
      const oai = scoresOf(s.db, 'generator:oai');
      expect(ps.get('oai')).toEqual({
        score: (oai.gsm8k! + oai.math! + oai.alpaca_eval! + oai.arena_hard!) / 4,
        source: 'evaluated',
        perBenchmark: oai,
      });

      // A second run asks nothing again.
      const before = s.asked.oai!.length;
      s.db.prepare(`UPDATE cells SET stage = 'score', state = 'pending'`).run();
      await s.run();
      expect(s.asked.oai).toHaveLength(before);
    },
    E2E_TIMEOUT,
  );

  it(
    'with the option off evaluates no generator and spends nothing on it; the report reads the typed numbers',
    async () => {
      const s = await setup({ settings: ['math/instance'], generatorScores: false });
      await s.run();
      for (const c of cells(s.db)) expect(c, String(c.error)).toMatchObject({ stage: 'score', state: 'done' });
      expect(s.asked.oai).toHaveLength(0);
      expect(s.asked.claude).toHaveLength(0);
      expect(s.db.prepare(`SELECT COUNT(*) AS n FROM eval_items WHERE subject LIKE 'generator:%'`).get()).toEqual({ n: 0 });
      expect(calls(s.db).filter((c) => c.purpose === 'solve')).toEqual([]);
      // The score jobs were arithmetic, done in the conductor: no worker process.
      expect(s.db.prepare(`SELECT DISTINCT runner FROM jobs WHERE stage = 'score'`).all()).toEqual([{ runner: 'inline' }]);
      const typed = { ...s.config, evaluate: { ...s.config.evaluate!, problemSolving: { oai: 61.5 } } };
      expect([...generatorProblemSolving(s.db, typed)]).toEqual([['oai', { score: 61.5, source: 'config', perBenchmark: {} }]]);
    },
    E2E_TIMEOUT,
  );

  it(
    'stops at the generator cap without passing it, keeps its answers, and a retry with a raised cap asks only what is missing',
    async () => {
      // oai's worst case is about $1.03 a call (1,024 tokens out at $1,000/M) and each costs cents: a $1.06 cap fits a few answers, not 6.
      const s = await setup({ settings: ['math/instance'], generatorScores: ['oai'], budget: { usd: 50, perGenerator: { oai: 1.06 } } });
      await s.run();
      const spent = (s.db.prepare(`SELECT spent_nano FROM ledger WHERE scope = 'oai'`).get() as { spent_nano: number }).spent_nano;
      expect(spent).toBeGreaterThan(0);
      expect(spent).toBeLessThanOrEqual(1.06e9);
      const answered = s.db.prepare(`SELECT COUNT(*) AS n FROM eval_items WHERE subject = 'generator:oai' AND output IS NOT NULL`).get() as { n: number };
      expect(answered.n).toBeGreaterThan(0);
      expect(answered.n).toBeLessThan(6);
      expect(s.asked.oai).toHaveLength(answered.n);
      expect(s.asked.claude).toHaveLength(0);
      // The PGR was written before the stop; the score job carrying the generator's evaluation stopped at the cap.
      const stopped = cells(s.db).find((c) => c.state === 'budget-exhausted');
      expect(stopped, JSON.stringify(cells(s.db))).toMatchObject({ stage: 'score' });
      expect(JSON.parse(String(stopped!.scores_json))).toMatchObject({ pgr: { value: expect.any(Number) } });
      expect(scoresOf(s.db, 'generator:oai')).toEqual({});
      // The domain's other cell, scored again, is scored at once without starting the stopped evaluation again.
      const other = cells(s.db).find((c) => c.id !== stopped!.id)!;
      s.db.prepare(`UPDATE cells SET state = 'pending' WHERE id = ?`).run(other.id);
      await s.run();
      expect(s.db.prepare(`SELECT runner, state FROM jobs WHERE cell_id = ? ORDER BY id DESC LIMIT 1`).get(other.id)).toEqual({
        runner: 'inline',
        state: 'done',
      });
      expect(s.asked.oai).toHaveLength(answered.n);

      const raised = s.configWith({ usd: 50, perGenerator: { oai: 5 } });
      s.db.prepare(`UPDATE cells SET state = 'pending' WHERE state = 'budget-exhausted'`).run();
      await s.run(raised);
      expect(scoresOf(s.db, 'generator:oai')).toEqual({ gsm8k: 50, math: 50 });
      expect(s.asked.oai).toHaveLength(6);
      expect(new Set(s.asked.oai!.map((r) => r.prompt)).size).toBe(6);
    },
    E2E_TIMEOUT,
  );

  it(
    'a killed worker loses only its call in flight: the next score job of the domain resumes without asking again what was answered',
    async () => {
      const s = await setup({ settings: ['math/instance'], generatorScores: ['oai'], latencyMs: 400 });
      const stored = () =>
        (s.db.prepare(`SELECT COUNT(*) AS n FROM eval_items WHERE subject = 'generator:oai' AND output IS NOT NULL`).get() as { n: number }).n;
      let atKill: { stored: number; asked: number } | undefined;
      await s.run(undefined, async () => {
        if (atKill !== undefined) return;
        const job = s.db.prepare(`SELECT pid FROM jobs WHERE stage = 'score' AND state = 'running' AND runner = 'api'`).get() as { pid: number } | undefined;
        if (stored() >= 2 && job) {
          process.kill(job.pid, 'SIGKILL');
          const gone = () => {
            try {
              process.kill(job.pid, 0);
              return false;
            } catch {
              return true;
            }
          };
          while (!gone()) await new Promise((r) => setTimeout(r, 20));
          atKill = { stored: stored(), asked: s.asked.oai!.length };
        }
      });
      expect(atKill).toBeDefined();
      expect(atKill!.stored, 'killed before the end').toBeLessThan(6);
      // The killed job's cell failed (orphaned); the other cell's score job took the evaluation up and finished it.
      const byGen = Object.fromEntries(cells(s.db).map((c) => [c.generator, c]));
      expect(byGen.oai).toMatchObject({ state: 'failed', error: expect.stringMatching(/orphaned/) });
      expect(byGen.claude).toMatchObject({ state: 'done' });
      expect(scoresOf(s.db, 'generator:oai')).toEqual({ gsm8k: 50, math: 50 });
      // Only what was not stored at the kill was asked after it: at most the call in flight twice (its
      // arrival at the stand-in, in this process, may be logged after the kill was seen).
      expect(s.asked.oai!.length - atKill!.asked).toBeGreaterThanOrEqual(6 - atKill!.stored);
      expect(s.asked.oai!.length - atKill!.asked).toBeLessThanOrEqual(6 - atKill!.stored + 1);
      expect(new Set(s.asked.oai!.map((r) => r.prompt)).size).toBe(6);
      expect(s.asked.oai!.length).toBeLessThanOrEqual(7);
      expect(s.db.prepare(`SELECT COUNT(*) AS n FROM reservations`).get()).toEqual({ n: 0 });
      // The failed cell, retried, scores at once: nothing is left to evaluate.
      s.db.prepare(`UPDATE cells SET state = 'pending' WHERE state = 'failed'`).run();
      const asked = s.asked.oai!.length;
      await s.run();
      expect(cells(s.db).map((c) => c.state)).toEqual(['done', 'done']);
      expect(s.asked.oai).toHaveLength(asked);
    },
    E2E_TIMEOUT,
  );
});
