import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import type { FakeLlmRequest } from './support/fake-llm-server-types.js';
import { runAgora } from './support/run-cli.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';

// Issue 12, done when: a stand-in sweep with a judge plans within 25% of what it then spends,
// component by component. The plan (`agora plan`) and the run (`agora run --no-tui`: generate,
// train, evaluate, score) are the real CLI; the models are stand-ins on the fake LLM server
// that behave as the plan's documented assumptions say a model does (README, "Money"):
// generated instances and responses are as long as the seed set's, students answer as long as
// the responses they were trained on, the baseline as long as the benchmark's GPT-4 answers,
// and the Arena-Hard judge writes its own answer before its verdict. What this checks is that
// the plan accounts for everything the run sends and is billed for: meta-prompts, demos,
// system messages, rejections, judge templates, both Arena-Hard orders, the baseline's judging.

const SHARED = path.resolve(REPO_ROOT, '../shared/data');
const ALPACA = path.join(SHARED, 'alpaca_eval/gpt4_1106_preview_model_outputs.json');
const ARENA_Q = path.join(SHARED, 'arena_hard/question.jsonl');
const ARENA_A = path.join(SHARED, 'arena_hard/gpt-4-0314.jsonl');
const hasData = [ALPACA, ARENA_Q, ARENA_A].every((f) => fs.existsSync(f));
if (!hasData) console.warn(`[plan-accuracy-e2e] ${SHARED} lacks AlpacaEval / Arena-Hard: skipping the plan-against-spending run`);

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
const text = (req: FakeLlmRequest) => req.messages.map((m) => m.content).join('\n');

/**
 * A generator that writes instances and responses like the seed set's, every 10th reply of
 * each kind malformed (rejected). Taken in turn rather than at random: the texts are distributed
 * as the seed set's without the noise of a few dozen random draws (the test is about
 * accounting, not sampling luck), and each cell meets the same rejection rate whatever the
 * interleaving of the two cells' requests.
 */
function generatorStandIn(seeds: ReadonlyArray<{ instruction: string; response: string }>) {
  let instances = 0;
  let responses = 0;
  const byPrompt = new Map<string, number>();
  return (req: FakeLlmRequest): string => {
    const prompt = text(req).trimEnd();
    if (prompt.endsWith('INPUT:')) {
      const n = ++instances;
      const s = seeds[n % seeds.length]!;
      return n % 10 === 0 ? '' : `${s.instruction} (a variation, number ${n})\nOUTPUT:\n${s.response}\n[END]`;
    }
    if (++responses % 10 === 0) return '';
    const k = byPrompt.get(prompt) ?? byPrompt.set(prompt, byPrompt.size).get(prompt)!;
    return `${seeds[k % seeds.length]!.response}\n[END]`;
  };
}

/** AlpacaEval: one identifier. Arena-Hard: its own answer (as long as GPT-4's), an evaluation, a verdict. */
function judgeStandIn(ownAnswers: ReadonlyMap<string, string>) {
  let n = 0;
  return (req: FakeLlmRequest): string => {
    const system = req.messages.find((m) => m.role === 'system')?.content ?? '';
    if (system.includes('leaderboard')) return ++n % 2 ? 'm' : 'M';
    const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
    const question = user.split('<|User Prompt|>\n')[1]?.split("\n\n<|The Start of Assistant A's Answer|>")[0] ?? '';
    const own = ownAnswers.get(question) ?? '';
    return `My own answer:\n${own}\n\nEvaluation: Assistant A covers the main points but misses a detail that my answer includes; Assistant B is correct and more concise, and neither contains a factual error. Both are relevant. Assistant B asks no clarifying question where none is needed.\n\nMy final verdict is: [[B>A]]`;
  };
}

/** A responder module for a student server started from its serve command: known answers by prompt, else one of `texts`. */
function writeResponderModule(file: string, pool: { texts: readonly string[]; answers?: Record<string, string> }): string {
  fs.writeFileSync(`${file}.json`, JSON.stringify(pool));
  fs.writeFileSync(
    `${file}.mjs`,
    `import fs from 'node:fs';
const pool = JSON.parse(fs.readFileSync(${JSON.stringify(`${file}.json`)}, 'utf8'));
let next = 0;
export default (req) => {
  const p = req.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\\n');
  return pool.answers?.[p] ?? pool.texts[next++ % pool.texts.length];
};
`,
  );
  return `cd ${REPO_ROOT} && exec node --import tsx test/support/fake-llm-server-main.ts --port {port} --responder-module ${file}.mjs`;
}

type R = { low: number; expected: number; high: number };
interface PlanJson {
  breakdown: {
    total: R;
    generation: R;
    judge: R;
    gpu: R;
    baselines: R;
    cells: Array<{ setting: string; generation: R; judge: R; judgeCalls: number; gpuHours: { train: R; evaluate: R } }>;
    baselineSubjects: Array<{ subject: string; judge: R; gpu: R; judgeCalls: number }>;
  };
  judgedDefaults: string[];
}

const within = (planned: number, spent: number, what: string) => {
  expect(spent, `${what}: nothing spent`).toBeGreaterThan(0);
  expect(Math.abs(planned - spent) / spent, `${what}: planned $${planned.toFixed(5)}, spent $${spent.toFixed(5)}`).toBeLessThanOrEqual(0.25);
};

describe.skipIf(!hasData)('the plan against what a sweep with a judge spends', () => {
  it('plans generation, the judge, the baseline and GPU within 25% of what the run then records', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const seeds = readJsonl(path.join(REPO_ROOT, 'seeds/inst-instance.jsonl')).map((r) => ({
      instruction: String(r.instruction),
      response: String(r.response),
    }));
    const seedResponses = seeds.map((s) => s.response);
    const alpaca = (JSON.parse(fs.readFileSync(ALPACA, 'utf8')) as Array<{ instruction: string; output: string }>).slice(0, 6);
    const answersById = new Map(
      readJsonl(ARENA_A).map((r) => [String(r.question_id), (r.choices as Array<{ turns: Array<{ content: string }> }>)[0]!.turns[0]!.content]),
    );
    const arena = readJsonl(ARENA_Q)
      .slice(0, 4)
      .map((q) => ({ question: (q.turns as Array<{ content: string }>)[0]!.content, answer: answersById.get(String(q.question_id)) ?? '' }));

    const generator = await startFakeLlmServer({ responder: generatorStandIn(seeds) });
    cleanups.push(() => generator.close());
    const judge = await startFakeLlmServer({ responder: judgeStandIn(new Map(arena.map((a) => [a.question, a.answer]))) });
    cleanups.push(() => judge.close());
    const studentServe = writeResponderModule(path.join(t.dir, 'student'), { texts: seedResponses });
    // The base model answers as GPT-4 did (reworded: an identical answer is a tie without a judge call).
    const baseAnswers = Object.fromEntries([
      ...alpaca.map((a) => [a.instruction, `In short: ${a.output}`]),
      ...arena.map((a) => [a.question, `In short: ${a.answer}`]),
    ]);
    const baseServe = writeResponderModule(path.join(t.dir, 'base'), { texts: ['I am not sure.'], answers: baseAnswers });
    const trainer = path.join(REPO_ROOT, 'test/fixtures/fake-trainer.mjs');
    fs.writeFileSync(
      path.join(t.dir, 'sweep.yaml'),
      `name: accuracy
instancesPerCell: 40
budget: { usd: 20 }
generators:
  - { id: gen, provider: openai-compatible, model: gen-model, baseURL: "${generator.openaiBaseURL}", price: { input: 1, output: 4 }, concurrency: 4 }
settings: [inst/instance, inst/response]
train: { runner: local, gpus: 1, gpusPerJob: 1, command: "node ${trainer} --progress-file {progress_file} --checkpoint {output_dir} --steps 2 --interval-ms 10" }
evaluate:
  serveCommand: ${JSON.stringify(studentServe)}
  readinessTimeoutSeconds: 60
  benchmarks: { alpaca_eval: { limit: 6 }, arena_hard: { limit: 4 } }
  judge:
    generator: { id: judge, provider: openai-compatible, model: judge-model, baseURL: "${judge.openaiBaseURL}", price: { input: 3, output: 9 }, concurrency: 4 }
  baselines:
    base: { checkpoint: base-model, serveCommand: ${JSON.stringify(baseServe)} }
    reference: { scores: paper }
`,
    );
    const p = await runAgora(['plan', '--json', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(p.code, p.stderr).toBe(0);
    const plan = JSON.parse(p.stdout) as PlanJson;
    expect(plan.judgedDefaults).toEqual([]);
    const b = plan.breakdown;
    expect(b.cells.map((c) => c.judgeCalls)).toEqual([6 + 2 * 4, 6 + 2 * 4]);
    expect(b.baselineSubjects.map((s) => [s.subject, s.judgeCalls])).toEqual([['base', 14]]);

    const r = await runAgora(['run', '--no-tui', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(r.stdout + r.stderr).toMatch(/all 2 cells finished score/);

    const db = new Database(path.join(t.dir, 'runs/accuracy/agora.db'), { readonly: true });
    cleanups.push(() => void db.close());
    const usd = (sql: string) => ((db.prepare(sql).get() as { s: number | null }).s ?? 0) / 1e9;
    const spent = {
      generation: usd(`SELECT SUM(cost_nano) AS s FROM api_calls WHERE cell_id IS NOT NULL AND purpose <> 'judge' AND generator = 'gen'`),
      judge: usd(`SELECT SUM(cost_nano) AS s FROM api_calls WHERE cell_id IS NOT NULL AND purpose = 'judge'`),
      baselines: usd(`SELECT SUM(cost_nano) AS s FROM api_calls WHERE cell_id IS NULL AND purpose = 'judge'`),
      gpu: usd(`SELECT SUM(gpu_cost_nano) AS s FROM cells`),
    };
    const judgeCalls = (db.prepare(`SELECT COUNT(*) AS n FROM api_calls WHERE purpose = 'judge'`).get() as { n: number }).n;
    expect(judgeCalls).toBe(3 * 14);
    within(b.generation.expected, spent.generation, 'generation');
    within(b.judge.expected, spent.judge, 'judge (cells)');
    within(b.baselines.expected, spent.baselines, 'baselines');
    within(b.total.expected, spent.generation + spent.judge + spent.baselines + spent.gpu, 'total');
    for (const c of b.cells) {
      const row = db.prepare(`SELECT id FROM cells WHERE setting = ?`).get(c.setting) as { id: number };
      within(
        c.generation.expected,
        usd(`SELECT SUM(cost_nano) AS s FROM api_calls WHERE cell_id = ${row.id} AND purpose <> 'judge'`),
        `${c.setting} generation`,
      );
      within(c.judge.expected, usd(`SELECT SUM(cost_nano) AS s FROM api_calls WHERE cell_id = ${row.id} AND purpose = 'judge'`), `${c.setting} judge`);
      // The range holds the expected figure.
      expect(c.generation.low).toBeLessThanOrEqual(c.generation.expected);
      expect(c.generation.high).toBeGreaterThanOrEqual(c.generation.expected);
      // GPU hours are planned, though without train.gpuHourUsd they cost nothing, as the run records.
      expect(c.gpuHours.train.expected).toBeGreaterThan(0);
    }
    expect(b.gpu).toEqual({ low: 0, expected: 0, high: 0 });
    expect(spent.gpu).toBe(0);
  });
});
