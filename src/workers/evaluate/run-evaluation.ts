import { earlierRunningScoreJobs } from '../../store/job-repo.js';
import type { Db } from '../../store/open-store.js';
import { DataFileError } from '../../adapters/benchmarks/record-reader.js';
import { BenchmarkMissingError } from '../../adapters/benchmarks/load-benchmark.js';
import { ProviderError } from '../../core/ports.js';
import type { Domain } from '../../core/setting.js';
import type { WorkerResult } from '../worker-runtime.js';
import { BudgetExhaustedError } from './budgeted-judge.js';
import { planSubject, runSubject, type EvalRun, type SubjectSpec } from './subject-evaluation.js';
import { pause } from '../../adapters/pause.js';

/** How a thrown error ends the job: a budget stop, a cancellation, or a failure that says what broke. */
export function resultOf(e: unknown, signal: AbortSignal): WorkerResult {
  if (e instanceof BudgetExhaustedError) return { kind: 'budget-exhausted', scope: e.scope };
  if (signal.aborted) return { kind: 'cancelled' };
  if (e instanceof ProviderError) return { kind: 'failed', error: `${e.kind}: ${e.message}` };
  if (e instanceof DataFileError) return { kind: 'failed', error: `benchmark data: ${e.message}` };
  if (e instanceof BenchmarkMissingError) return { kind: 'failed', error: e.message };
  return { kind: 'failed', error: (e as Error).message ?? String(e) };
}

/** Plans every subject first (so progress has its whole total), then evaluates them in turn. */
export async function evaluateSubjects(run: EvalRun, specs: readonly SubjectSpec[]): Promise<'done' | 'aborted'> {
  const plans = [];
  for (const spec of specs) plans.push(await planSubject(run, spec));
  for (const plan of plans) {
    if (run.signal.aborted) return 'aborted';
    await runSubject(run, plan);
  }
  return run.signal.aborted ? 'aborted' : 'done';
}

/**
 * Two score jobs of one domain would evaluate the same baselines: the later one waits while an
 * earlier one (lower job id) of the same domain runs, then looks again at what is left to do.
 */
export async function waitForEarlierBaselineJobs(
  db: Db,
  jobId: number,
  domain: Domain,
  signal: AbortSignal,
  log: (l: string) => void,
  pollMs = 2000,
): Promise<void> {
  let said = false;
  while (!signal.aborted) {
    const earlier = earlierRunningScoreJobs(db, jobId).filter((r) => r.setting.startsWith(`${domain}/`));
    if (earlier.length === 0) return;
    if (!said) log(`waiting for score job ${earlier[0]!.id}, which evaluates the same baselines`);
    said = true;
    await pause(pollMs, signal);
  }
}
