import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planSweep } from '../src/cli/plan-store.js';
import { sweepConfigSchema } from '../src/config/schema.js';
import { Conductor } from '../src/engine/conductor.js';
import { EvaluateDriver } from '../src/engine/evaluate-driver.js';
import { ScoreDriver } from '../src/engine/score-driver.js';
import { openStore } from '../src/store/open-store.js';
import { syncRunFromConfig } from '../src/store/run-repo.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import type { FakeLlmRequest } from './support/fake-llm-server-types.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';

// Issue 13: the plan of the generators' own scores against what evaluating them records. The
// generator stand-in behaves as the plan assumes (README, "The plan"): math answers as long as
// the domain's seed responses, instruction-following answers as long as GPT-4's; the judge
// stand-in answers Arena-Hard itself before its verdict, as in test/plan-accuracy-e2e.test.ts.

const SHARED = path.resolve(REPO_ROOT, '../shared/data');
const FILES = {
  gsm8k: path.join(SHARED, 'gsm8k/test.jsonl'),
  math: path.join(SHARED, 'math/math500_test.jsonl'),
  alpaca: path.join(SHARED, 'alpaca_eval/gpt4_1106_preview_model_outputs.json'),
  arenaQ: path.join(SHARED, 'arena_hard/question.jsonl'),
  arenaA: path.join(SHARED, 'arena_hard/gpt-4-0314.jsonl'),
};
const hasData = Object.values(FILES).every((f) => fs.existsSync(f));
if (!hasData) console.warn(`[plan-generator-scores-e2e] ${SHARED} lacks a benchmark file: skipping the plan-against-spending run`);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const readJsonl = (f: string) =>
  fs
    .readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const userText = (req: FakeLlmRequest) =>
  req.messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join('\n');

const within = (planned: number, spent: number, what: string) => {
  expect(spent, `${what}: nothing spent`).toBeGreaterThan(0);
  expect(Math.abs(planned - spent) / spent, `${what}: planned $${planned.toFixed(5)}, spent $${spent.toFixed(5)}`).toBeLessThanOrEqual(0.25);
};

describe.skipIf(!hasData)("the plan of the generators' own scores against what evaluating them spends", () => {
  it('plans their answers and the judging of them within 25% of the ledger', async () => {
    const t = tempDir('agora-plan-genscores-');
    cleanups.push(t.cleanup);
    const seedResponses = readJsonl(path.join(REPO_ROOT, 'seeds/math-instance.jsonl')).map((r) => String(r.response));
    const alpaca = (JSON.parse(fs.readFileSync(FILES.alpaca, 'utf8')) as Array<{ instruction: string; output: string }>).slice(0, 6);
    const answersById = new Map(
      readJsonl(FILES.arenaA).map((r) => [String(r.question_id), (r.choices as Array<{ turns: Array<{ content: string }> }>)[0]!.turns[0]!.content]),
    );
    const arena = readJsonl(FILES.arenaQ)
      .slice(0, 4)
      .map((q) => ({ question: (q.turns as Array<{ content: string }>)[0]!.content, answer: answersById.get(String(q.question_id)) ?? '' }));
    const gpt4 = [...alpaca.map((a) => [a.instruction, a.output] as const), ...arena.map((a) => [a.question, a.answer] as const)];

    // 20 GSM8K + 6 MATH items take the 26 math seed responses once each, in turn.
    let next = 0;
    const generator = await startFakeLlmServer({
      responder: (req) => {
        const prompt = userText(req);
        const known = gpt4.find(([q]) => prompt.includes(q.trim()));
        return known ? `In short: ${known[1]}` : seedResponses[next++ % seedResponses.length]!;
      },
    });
    cleanups.push(() => generator.close());
    const judge = await startFakeLlmServer({
      responder: (req) => {
        const system = req.messages.find((m) => m.role === 'system')?.content ?? '';
        if (system.includes('leaderboard')) return 'm';
        const user = userText(req);
        const own = arena.find((a) => user.includes(a.question))?.answer ?? '';
        return `My own answer:\n${own}\n\nEvaluation: Assistant A covers the main points but misses a detail that my answer includes; Assistant B is correct and more concise, and neither contains a factual error. Both are relevant. Assistant B asks no clarifying question where none is needed.\n\nMy final verdict is: [[B>A]]`;
      },
    });
    cleanups.push(() => judge.close());
    const student = await startFakeLlmServer({ responder: () => 'I am not sure.', models: ['student'] });
    cleanups.push(() => student.close());

    const config = sweepConfigSchema.parse({
      name: 'plan-genscores',
      instancesPerCell: 1,
      budget: { usd: 20 },
      generators: [
        { id: 'gen', provider: 'openai-compatible', model: 'gen-model', baseURL: generator.openaiBaseURL, price: { input: 1, output: 4 }, concurrency: 4 },
      ],
      settings: ['math/instance', 'inst/instance'],
      train: { device: 'cpu' },
      evaluate: {
        endpoint: student.url,
        math: 'math500',
        benchmarks: {
          gsm8k: { dataFile: FILES.gsm8k, limit: 20 },
          math: { dataFile: FILES.math, limit: 6 },
          alpaca_eval: { dataFile: FILES.alpaca, limit: 6 },
          arena_hard: { dataFile: FILES.arenaQ, baselineFile: FILES.arenaA, limit: 4 },
        },
        judge: {
          generator: {
            id: 'judge',
            provider: 'openai-compatible',
            model: 'judge-model',
            baseURL: judge.openaiBaseURL,
            price: { input: 3, output: 9 },
            concurrency: 4,
          },
        },
        baselines: { base: { scores: { gsm8k: 10, math: 5, alpaca_eval: 2, arena_hard: 2 } }, reference: { scores: 'paper' } },
        generatorScores: true,
      },
    });
    const plan = await planSweep(config, t.dir);
    const subjects = plan.breakdown.generatorSubjects ?? [];
    expect(subjects.map((s) => [s.generator, s.solveCalls, s.judgeCalls])).toEqual([['gen', 20 + 6 + 6 + 4, 6 + 2 * 4]]);
    expect(plan.breakdown.total.expected).toBeGreaterThan(plan.breakdown.generation.expected + plan.breakdown.judge.expected);

    const runDir = path.join(t.dir, 'run');
    const db = openStore(path.join(runDir, 'agora.db'));
    cleanups.push(() => void db.close());
    syncRunFromConfig(db, config);
    db.prepare(`UPDATE cells SET stage = 'evaluate', state = 'pending'`).run();
    const drivers = [
      new EvaluateDriver(db, runDir, config, process.env, { baseDir: t.dir }),
      new ScoreDriver(db, runDir, config, process.env, { baseDir: t.dir }),
    ];
    const conductor = new Conductor(db, { stages: ['evaluate', 'score'], drivers });
    const until = Date.now() + 150_000;
    for (;;) {
      await conductor.tick();
      if (conductor.isSettled()) break;
      if (Date.now() > until) throw new Error(`not settled: ${JSON.stringify(db.prepare(`SELECT setting, stage, state, error FROM cells`).all())}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(db.prepare(`SELECT setting, stage, state FROM cells ORDER BY setting`).all()).toEqual([
      { setting: 'inst/instance', stage: 'score', state: 'done' },
      { setting: 'math/instance', stage: 'score', state: 'done' },
    ]);
    const usd = (sql: string) => ((db.prepare(sql).get() as { s: number | null }).s ?? 0) / 1e9;
    expect(db.prepare(`SELECT COUNT(*) FROM api_calls WHERE purpose = 'solve'`).pluck().get()).toBe(subjects[0]!.solveCalls);
    within(subjects[0]!.solve.expected, usd(`SELECT SUM(cost_nano) AS s FROM api_calls WHERE purpose = 'solve'`), 'answers');
    within(subjects[0]!.judge.expected, usd(`SELECT SUM(cost_nano) AS s FROM api_calls WHERE purpose = 'judge' AND cell_id IS NULL`), 'their judging');
    // The bounds hold what was spent: the high one is every answer at max tokens, the ledger's worst case.
    const spent = usd(`SELECT SUM(cost_nano) AS s FROM api_calls WHERE purpose = 'solve'`);
    expect(subjects[0]!.solve.low).toBeLessThanOrEqual(spent);
    expect(subjects[0]!.solve.high).toBeGreaterThanOrEqual(spent);
  });
});
