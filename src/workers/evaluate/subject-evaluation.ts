import { createProvider } from '../../adapters/llm/provider-factory.js';
import { connectEndpoint, serveStudent, type ServerHandle, type StudentEndpoint } from '../../adapters/serve/student-server.js';
import type { EvaluateConfig } from '../../config/evaluate-schema.js';
import type { GeneratorConfig } from '../../config/schema.js';
import type { BenchmarkItem } from '../../core/grade/types.js';
import { ProviderError } from '../../core/ports.js';
import type { BenchmarkId } from '../../core/setting.js';
import type { BudgetLedger } from '../../store/budget-ledger.js';
import { answerThroughApi } from './api-answers.js';
import { domainOf } from './benchmark-domain.js';
import type { Db } from '../../store/open-store.js';
import { loadBenchmarkItems } from '../../adapters/benchmarks/benchmark-set.js';
import { itemSetKey } from '../../core/evaluate/item-set.js';
import { resetIfModelChanged, saveBenchmarkScore, saveOutput, saveVerdict, storedItems, type Subject } from '../../store/eval-repo.js';
import type { EvalProgress } from './eval-progress.js';
import type { GradingTools } from './grading-tools.js';
import { aggregateVerdicts, gradeItem, needsGrading, type StoredVerdict } from './item-verdict.js';
import { runPool } from './pool.js';
import { describeSource, sourceIdentity, type StudentSource } from '../../core/evaluate/student-source.js';

/** One model to evaluate: whose items, on which benchmarks, reached how. */
export interface SubjectSpec {
  readonly subject: Subject;
  /** The cell its items and judge calls belong to; null for a baseline. */
  readonly cellId: number | null;
  readonly benchmarks: readonly BenchmarkId[];
  readonly source: StudentSource;
  readonly serverLog: string;
}

export interface EvalRun {
  readonly db: Db;
  readonly evaluate: EvaluateConfig;
  /** Relative data files, cache folder and checkpoints resolve from here (the config's folder). */
  readonly baseDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  readonly progress: EvalProgress;
  readonly tools: GradingTools;
  /** Where a generator's own answers are paid for (the judge's are through `tools`). */
  readonly ledger: BudgetLedger;
  readonly jobId: number;
  /** Told when a server starts and stops, to record it where the conductor can clean up after a dead worker. */
  readonly onServer: (server: ServerHandle | undefined) => void;
}

export interface SubjectPlan {
  readonly spec: SubjectSpec;
  readonly sets: ReadonlyArray<{ readonly benchmark: BenchmarkId; readonly items: readonly BenchmarkItem[] }>;
}

/** Loads the subject's benchmarks and counts what is already stored, so progress has its total up front. */
export async function planSubject(run: EvalRun, spec: SubjectSpec): Promise<SubjectPlan> {
  if (resetIfModelChanged(run.db, spec.subject, sourceIdentity(spec.source, run.evaluate.model))) {
    run.log(`${spec.subject}: the model changed (${describeSource(spec.source)}); its earlier outputs and scores were dropped`);
  }
  const sets = [];
  for (const benchmark of spec.benchmarks) {
    const items = await loadBenchmarkItems(benchmark, run.evaluate, { baseDir: run.baseDir, env: run.env });
    const stored = storedItems(run.db, spec.subject, benchmark);
    const answered = items.filter((i) => (stored.get(i.id)?.output ?? null) !== null).length;
    const graded = items.filter((i) => !needsGrading(stored.get(i.id)?.verdict)).length;
    run.progress.addTotal(items.length, answered, graded);
    sets.push({ benchmark, items });
  }
  return { spec, sets };
}

function studentGenerator(model: string, baseURL: string, e: EvaluateConfig): GeneratorConfig {
  return {
    id: 'student',
    provider: 'openai-compatible',
    model,
    baseURL,
    price: { input: 0, output: 0 },
    concurrency: e.concurrency,
    timeoutSeconds: e.requestTimeoutSeconds,
    maxRetries: 3,
  };
}

async function openStudent(run: EvalRun, spec: SubjectSpec, source: Exclude<StudentSource, { kind: 'api' }>): Promise<StudentEndpoint> {
  const readinessTimeoutMs = run.evaluate.readinessTimeoutSeconds * 1000;
  if (source.kind === 'endpoint') return connectEndpoint(source.url, { readinessTimeoutMs, signal: run.signal });
  return serveStudent({
    command: source.serveCommand,
    checkpoint: source.checkpoint,
    logFile: spec.serverLog,
    readinessTimeoutMs,
    signal: run.signal,
    cwd: run.baseDir,
    env: run.env,
    onStart: (s) => run.onServer(s),
  });
}

/** vLLM's and OpenAI's wording for a prompt that does not fit the model's context. */
const CONTEXT_TOO_LONG = /maximum context length|context length|too long|max_model_len/i;

/** Sends every unanswered item's prompt to the student with the paper's inference settings, storing each answer as it comes. */
async function answerMissing(run: EvalRun, plan: SubjectPlan): Promise<void> {
  const { subject, cellId } = plan.spec;
  const missing = plan.sets.flatMap(({ benchmark, items }) => {
    const stored = storedItems(run.db, subject, benchmark);
    return items.filter((i) => (stored.get(i.id)?.output ?? null) === null).map((item) => ({ benchmark, item }));
  });
  if (missing.length === 0) return;
  const source = plan.spec.source;
  if (source.kind === 'api') {
    run.log(`${subject}: ${describeSource(source)}; ${missing.length} items to answer, each a paid call`);
    run.progress.setPhase('answering', subject);
    await answerThroughApi(run, subject, source.generator as GeneratorConfig, missing);
    return;
  }
  run.progress.setPhase('serving', subject);
  const endpoint = await openStudent(run, plan.spec, source);
  try {
    const model = run.evaluate.model ?? endpoint.models[0] ?? '';
    run.log(`${subject}: ${describeSource(plan.spec.source)} answers as "${model}" at ${endpoint.baseURL}; ${missing.length} items to answer`);
    const provider = createProvider(studentGenerator(model, endpoint.baseURL, run.evaluate), run.env);
    const inf = run.evaluate.inference;
    run.progress.setPhase('answering', subject);
    await runPool(
      missing,
      run.evaluate.concurrency,
      async ({ benchmark, item }) => {
        let output: string;
        try {
          const r = await provider.complete({
            messages: [{ role: 'user', content: item.prompt }],
            maxTokens: inf.maxTokens,
            temperature: inf.temperature[domainOf(benchmark)],
            topP: inf.topP,
            ...(inf.repetitionPenalty !== null && { repetitionPenalty: inf.repetitionPenalty }),
            signal: run.signal,
          });
          output = r.text;
        } catch (e) {
          // Only a prompt longer than the student's context is that item's wrong answer; any other
          // refusal (an unknown field, a wrong model name) would refuse every item: fail loudly.
          if (!(e instanceof ProviderError) || e.kind !== 'bad-request' || !CONTEXT_TOO_LONG.test(e.message)) {
            if (e instanceof ProviderError && e.kind === 'bad-request') throw new Error(`the student server refused the request: ${e.message}`);
            throw e;
          }
          run.log(`${subject} ${benchmark} item ${item.id}: the prompt is longer than the student's context (${e.message}); graded as an empty answer`);
          output = '';
        }
        saveOutput(run.db, subject, cellId, benchmark, item.id, output);
        run.progress.onAnswered();
      },
      run.signal,
    );
  } finally {
    await endpoint.stop();
    run.onServer(undefined);
  }
}

async function gradeAndScore(run: EvalRun, spec: SubjectSpec, benchmark: BenchmarkId, items: readonly BenchmarkItem[]): Promise<void> {
  const stored = storedItems(run.db, spec.subject, benchmark);
  const todo = items.filter((i) => needsGrading(stored.get(i.id)?.verdict));
  if (todo.length > 0) {
    run.progress.setPhase('grading', spec.subject);
    const code = benchmark === 'mbpp' || benchmark === 'humaneval';
    const judged = benchmark === 'alpaca_eval' || benchmark === 'arena_hard';
    const symbolic = benchmark === 'math' ? await run.tools.symbolic() : undefined;
    const deps = {
      seed: run.evaluate.seed,
      ...(symbolic && { symbolic }),
      ...(code && { runCode: run.tools.runCode() }),
      ...(judged && { judge: run.tools.judge(spec.cellId) }),
    };
    await runPool(
      todo,
      run.tools.concurrencyFor(benchmark),
      async (item) => {
        const v = await gradeItem(item, stored.get(item.id)?.output ?? '', deps);
        saveVerdict(run.db, spec.subject, benchmark, item.id, v.result.score, v);
        run.progress.onGraded();
      },
      run.signal,
    );
  }
  if (run.signal.aborted) return;
  const after = storedItems(run.db, spec.subject, benchmark);
  const verdicts = items.flatMap((i) => {
    const v = after.get(i.id)?.verdict as StoredVerdict | undefined;
    return v ? [v] : [];
  });
  const agg = aggregateVerdicts(benchmark, verdicts, { seed: run.evaluate.seed });
  if (!agg) throw new Error(`${benchmark}: no item could be scored (every judge verdict was unparseable)`);
  saveBenchmarkScore(run.db, {
    subject: spec.subject,
    benchmark,
    score: agg.score,
    n: agg.n,
    ciLow: agg.ciLow,
    ciHigh: agg.ciHigh,
    source: 'evaluated',
    details: {
      itemSet: itemSetKey(benchmark, run.evaluate),
      items: items.length,
      model: sourceIdentity(spec.source, run.evaluate.model),
      metrics: agg.metrics,
    },
  });
  run.log(`${spec.subject} ${benchmark}: ${agg.score.toFixed(2)} over ${agg.n} items`);
}

/** Answers what is unanswered, grades what is ungraded, and writes each benchmark's score. */
export async function runSubject(run: EvalRun, plan: SubjectPlan): Promise<void> {
  await answerMissing(run, plan);
  for (const { benchmark, items } of plan.sets) {
    if (run.signal.aborted) return;
    await gradeAndScore(run, plan.spec, benchmark, items);
  }
}
