import type { CompletionRequest, CompletionResult } from '../ports.js';
import type { BenchmarkId } from '../setting.js';

/** What every benchmark item has: its id in the public data and what the student is asked. */
interface ItemBase {
  readonly id: string;
  readonly prompt: string;
}

export interface Gsm8kItem extends ItemBase {
  readonly benchmark: 'gsm8k';
  readonly question: string;
  /** The reference solution, ending with `#### <number>`. */
  readonly solution: string;
  /** The number after `####`. */
  readonly gold: string;
}

export interface MathItem extends ItemBase {
  readonly benchmark: 'math';
  readonly problem: string;
  readonly solution: string;
  /** The `answer` field, else the last `\boxed{}` of the solution. */
  readonly gold: string;
  readonly subject?: string;
  readonly level?: string;
}

export interface MbppItem extends ItemBase {
  readonly benchmark: 'mbpp';
  readonly text: string;
  readonly code: string;
  readonly testList: readonly string[];
  readonly testSetupCode: string;
}

export interface HumanEvalItem extends ItemBase {
  readonly benchmark: 'humaneval';
  /** The function signature and docstring that the original benchmark hands to the model. */
  readonly functionPrompt: string;
  readonly entryPoint: string;
  readonly canonicalSolution: string;
  readonly test: string;
}

export interface AlpacaEvalItem extends ItemBase {
  readonly benchmark: 'alpaca_eval';
  readonly instruction: string;
  /** AlpacaEval 2.0's reference output (GPT-4 Turbo, gpt4_1106_preview). */
  readonly referenceOutput: string;
  readonly dataset?: string;
}

export interface ArenaHardItem extends ItemBase {
  readonly benchmark: 'arena_hard';
  readonly question: string;
  readonly category?: string;
  readonly cluster?: string;
  /** The gpt-4-0314 baseline answer. */
  readonly baselineAnswer: string;
}

export type BenchmarkItem = Gsm8kItem | MathItem | MbppItem | HumanEvalItem | AlpacaEvalItem | ArenaHardItem;

export interface ItemResult {
  readonly id: string;
  /** 0..1: 1 correct/passed/won, 0.5 a tie, 0 wrong; absent when the item could not be graded. */
  readonly score?: number;
  /** What the grader took from the output (an answer, or a verdict). */
  readonly extracted?: string;
  readonly gold?: string;
  /** How the verdict was reached or why there is none (e.g. `symbolic`, `timeout`, `no prediction`). */
  readonly detail?: string;
}

export interface GradeReport {
  readonly benchmark: BenchmarkId;
  /** Items graded (with `missing: 'wrong'`, the whole benchmark). */
  readonly n: number;
  /** The benchmark's headline metric, 0-100 (accuracy, pass@1, LC win rate, Arena-Hard score). */
  readonly score: number;
  /** Items that had no prediction. */
  readonly missing: number;
  /** Secondary metrics (raw win rate, confidence interval, unparseable verdicts...). */
  readonly metrics: Readonly<Record<string, number | string>>;
  readonly notes: readonly string[];
  readonly items: readonly ItemResult[];
}

/** Outcome of running one program with its tests in the sandbox. */
export interface RunOutcome {
  readonly status: 'passed' | 'failed' | 'timeout' | 'memory' | 'error';
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type CodeRunner = (program: string) => Promise<RunOutcome>;

export type SymbolicVerdict = 'equal' | 'different' | 'unparseable' | 'timeout' | 'unavailable' | 'error';

/** Symbolic equivalence of two answers (sympy); `unavailable` when no sympy could be found. */
export interface SymbolicChecker {
  equivalent(a: string, b: string): Promise<SymbolicVerdict>;
}

export type JudgeComplete = (req: CompletionRequest) => Promise<CompletionResult>;
