import { availableParallelism } from 'node:os';
import { createProvider } from '../../adapters/llm/provider-factory.js';
import { createSandboxRunner } from '../../adapters/sandbox/python-sandbox.js';
import { SympyChecker } from '../../adapters/sandbox/sympy-checker.js';
import type { EvaluateConfig } from '../../config/evaluate-schema.js';
import type { SweepConfig } from '../../config/schema.js';
import type { CodeRunner, JudgeComplete, SymbolicChecker } from '../../core/grade/types.js';
import type { ProviderPort } from '../../core/ports.js';
import type { BenchmarkId } from '../../core/setting.js';
import type { BudgetLedger } from '../../store/budget-ledger.js';
import { resolveJudge, type JudgeTarget } from '../../adapters/llm/judge-target.js';
import { budgetedJudge } from './budgeted-judge.js';

export interface GradingToolsOptions {
  readonly config: SweepConfig;
  readonly evaluate: EvaluateConfig;
  readonly ledger: BudgetLedger;
  readonly jobId: number;
  readonly signal: AbortSignal;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
}

/** The graders' outside help (sympy, the code sandbox, the judge), started only when a benchmark needs it. */
export class GradingTools {
  private sympy: Promise<SympyChecker> | undefined;
  private runner: CodeRunner | undefined;
  private judgeSetup: { provider: ProviderPort; target: JudgeTarget } | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly o: GradingToolsOptions) {}

  async symbolic(): Promise<SymbolicChecker | undefined> {
    this.sympy ??= SympyChecker.start().then((s) => {
      if (!s.status.available) this.o.log(`note: MATH answers that need a symbolic check count as wrong: ${s.status.reason}`);
      return s;
    });
    const s = await this.sympy;
    return s.status.available ? s : undefined;
  }

  runCode(): CodeRunner {
    this.runner ??= createSandboxRunner({ timeoutMs: this.o.evaluate.sandbox.timeoutSeconds * 1000, concurrency: this.codeConcurrency() });
    return this.runner;
  }

  /** The judge, its calls charged to `cellId` (null for a baseline) and this job. */
  judge(cellId: number | null): JudgeComplete {
    if (!this.judgeSetup) {
      const target = resolveJudge(this.o.config);
      if ('missing' in target) throw new Error(target.missing);
      const provider = createProvider(target.generator, this.o.env);
      provider.setMaxConcurrency(target.concurrency);
      this.judgeSetup = { provider, target };
    }
    const { provider, target } = this.judgeSetup;
    const judge = budgetedJudge({ provider, target, ledger: this.o.ledger, cellId, jobId: this.o.jobId, signal: this.o.signal });
    // Arena-Hard's two games run together: when one fails the other is still out, and its
    // reservation must be settled before the worker records its outcome and exits.
    return (req) => {
      const call = judge(req);
      const tracked = call.then(
        () => undefined,
        () => undefined,
      );
      this.inFlight.add(tracked);
      void tracked.finally(() => this.inFlight.delete(tracked));
      return call;
    };
  }

  /** Items graded at once: judge calls, sandboxes, or cheap answer checks. */
  concurrencyFor(benchmark: BenchmarkId): number {
    if (benchmark === 'alpaca_eval' || benchmark === 'arena_hard') {
      const t = resolveJudge(this.o.config);
      return 'missing' in t ? 1 : t.concurrency;
    }
    if (benchmark === 'mbpp' || benchmark === 'humaneval') return this.codeConcurrency();
    return 8;
  }

  private codeConcurrency(): number {
    return this.o.evaluate.sandbox.concurrency ?? Math.max(1, availableParallelism());
  }

  /** Waits for judge calls still out, then stops sympy. */
  async close(): Promise<void> {
    await Promise.all([...this.inFlight]);
    const s = this.sympy;
    this.sympy = undefined;
    if (s) await (await s).close();
  }
}
