import { createProvider } from '../../adapters/llm/provider-factory.js';
import type { GeneratorConfig } from '../../config/schema.js';
import type { BenchmarkItem } from '../../core/grade/types.js';
import type { BenchmarkId } from '../../core/setting.js';
import type { BudgetLedger } from '../../store/budget-ledger.js';
import { saveOutput, type Subject } from '../../store/eval-repo.js';
import { BudgetedCalls } from '../budgeted-calls.js';
import type { EvalProgress } from './eval-progress.js';
import { runPool } from './pool.js';
import type { EvaluateConfig } from '../../config/evaluate-schema.js';
import type { Db } from '../../store/open-store.js';
import { domainOf } from './benchmark-domain.js';

/** The calls are money: every answer is reserved, sent and settled through the one budgeted path, purpose `solve`. */
export const SOLVE_PURPOSE = 'solve';

export interface ApiAnswering {
  readonly db: Db;
  readonly evaluate: EvaluateConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
  readonly ledger: BudgetLedger;
  readonly jobId: number;
  readonly progress: EvalProgress;
}

/**
 * A generator answers benchmark items through its own API (its problem-solving score): the
 * students' prompts and inference settings (a repetition penalty only where the provider takes
 * one: OpenAI-compatible servers), each call charged to that generator with no cell, exactly as
 * the judge's calls are. A cap reached stops it with BudgetExhaustedError after the answers in
 * flight are stored; the next run asks only what is missing.
 */
export async function answerThroughApi(
  a: ApiAnswering,
  subject: Subject,
  generator: GeneratorConfig,
  missing: ReadonlyArray<{ readonly benchmark: BenchmarkId; readonly item: BenchmarkItem }>,
): Promise<void> {
  const provider = createProvider(generator, a.env, { stream: generator.stream ?? false });
  const calls = new BudgetedCalls({
    ledger: a.ledger,
    provider,
    generator,
    cellId: null,
    jobId: a.jobId,
    purpose: SOLVE_PURPOSE,
    signal: a.signal,
  });
  const inf = a.evaluate.inference;
  await runPool(
    missing,
    generator.concurrency,
    async ({ benchmark, item }) => {
      const reservation = await calls.reserveWaiting({
        messages: [{ role: 'user', content: item.prompt }],
        maxTokens: inf.maxTokens,
        temperature: inf.temperature[domainOf(benchmark)],
        topP: inf.topP,
        ...(inf.repetitionPenalty !== null && { repetitionPenalty: inf.repetitionPenalty }),
      });
      // The answer is stored in the transaction that settles its cost: a kill never leaves a paid answer unstored.
      const out = await calls.call(reservation, (r) => () => saveOutput(a.db, subject, null, benchmark, item.id, r.text));
      if (!out.ok) throw out.error;
      a.progress.onAnswered();
    },
    a.signal,
  );
}
