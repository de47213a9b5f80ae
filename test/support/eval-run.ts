// A small evaluation run for tests: a store with cells waiting at the evaluate stage, a fake
// student and judge server, and a conductor loop over the evaluate and score drivers.
import path from 'node:path';
import { sweepConfigSchema, type SweepConfig } from '../../src/config/schema.js';
import type { Stage } from '../../src/core/cell-state.js';
import { Conductor } from '../../src/engine/conductor.js';
import { EvaluateDriver } from '../../src/engine/evaluate-driver.js';
import { ScoreDriver } from '../../src/engine/score-driver.js';
import { openStore, type Db } from '../../src/store/open-store.js';
import { syncRunFromConfig } from '../../src/store/run-repo.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeResponder } from './fake-llm-server.js';
import { judgeResponder, studentResponder, type StudentRequestLog } from './student-responder.js';
import { tempDir } from './temp-run.js';

export interface EvalRunOptions {
  readonly settings: string[];
  /** The evaluate section, merged over an endpoint student, a fake judge and fixed base scores; given the run's folder. */
  readonly evaluate?: (dir: string) => Record<string, unknown>;
  readonly answers?: ReadonlyArray<readonly [string, string]>;
  readonly judge?: FakeResponder;
  /** Extra environment for the workers (e.g. AGORA_HF_ENDPOINT). */
  readonly env?: Record<string, string>;
}

export interface EvalRun {
  readonly dir: string;
  readonly db: Db;
  readonly runDir: string;
  readonly config: SweepConfig;
  readonly student: FakeLlmServer;
  readonly judge: FakeLlmServer;
  readonly studentLog: StudentRequestLog[];
  run(stages: readonly Stage[], opts?: { conductor?: (c: Conductor) => Promise<void> }): Promise<Conductor>;
  cell(setting: string): {
    id: number;
    stage: string;
    state: string;
    error: string | null;
    progress_json: string | null;
    scores_json: string | null;
    cost_nano: number;
  };
  close(): Promise<void>;
}

export async function startEvalRun(opts: EvalRunOptions): Promise<EvalRun> {
  const t = tempDir('agora-evalrun-');
  const closers: Array<() => Promise<void> | void> = [t.cleanup];
  const evaluateSection = opts.evaluate?.(t.dir) ?? {};
  const studentLog: StudentRequestLog[] = [];
  const student = await startFakeLlmServer({ responder: studentResponder(opts.answers ?? [], { log: studentLog }), models: ['student-model'] });
  closers.push(() => student.close());
  const judge = await startFakeLlmServer({ responder: opts.judge ?? judgeResponder() });
  closers.push(() => judge.close());
  const config = sweepConfigSchema.parse({
    name: 'eval-run',
    instancesPerCell: 1,
    budget: { usd: 10 },
    generators: [{ id: 'gen-a', provider: 'openai-compatible', model: 'gen-model', baseURL: judge.openaiBaseURL, price: { input: 1, output: 2 } }],
    settings: opts.settings,
    evaluate: {
      endpoint: student.url,
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
          maxRetries: 0,
        },
      },
      sandbox: { timeoutSeconds: 10, concurrency: 2 },
      baselines: { base: { scores: { gsm8k: 10, math: 5, mbpp: 20, humaneval: 20, alpaca_eval: 2, arena_hard: 2 } } },
      ...evaluateSection,
    },
  });
  const runDir = path.join(t.dir, 'run');
  const db = openStore(path.join(runDir, 'agora.db'));
  closers.push(() => void db.close());
  syncRunFromConfig(db, config);
  db.prepare(`UPDATE cells SET stage = 'evaluate', state = 'pending'`).run();
  const env = { ...process.env, ...opts.env };
  const cell = (setting: string) => db.prepare(`SELECT * FROM cells WHERE setting = ?`).get(setting) as ReturnType<EvalRun['cell']>;
  return {
    dir: t.dir,
    db,
    runDir,
    config,
    student,
    judge,
    studentLog,
    cell,
    async run(stages, runOpts = {}) {
      const drivers = [new EvaluateDriver(db, runDir, config, env, { baseDir: t.dir }), new ScoreDriver(db, runDir, config, env, { baseDir: t.dir })];
      const conductor = new Conductor(db, { stages, drivers });
      await runOpts.conductor?.(conductor);
      const until = Date.now() + 150_000;
      for (;;) {
        await conductor.tick();
        if (conductor.isSettled()) return conductor;
        if (Date.now() > until) throw new Error(`not settled: ${JSON.stringify(db.prepare(`SELECT setting, stage, state, error FROM cells`).all())}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      for (const f of closers.reverse()) await f();
    },
  };
}
