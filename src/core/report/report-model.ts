import type { AnalysisModel } from '../analysis/run-analysis.js';
import type { CellState, Stage } from '../cell-state.js';
import type { BaselineOrigin, CellScores, PgrValue } from '../snapshot.js';
import type { BenchmarkId, SettingId } from '../setting.js';
import type { ScoreOrReason } from './cell-scores.js';

/** What the report reads about one cell. */
export interface ReportCell {
  readonly generator: string;
  readonly setting: SettingId;
  readonly stage: Stage;
  readonly state: CellState;
  readonly error?: string;
  readonly scores?: CellScores;
  /** Generation API cost (the generator's own calls), USD. */
  readonly generationCostUsd: number;
  /** Judge API cost charged to the cell, USD. */
  readonly judgeCostUsd: number;
  /** What generation made: instances accepted, the planned target, seed items dropped. */
  readonly generated?: GeneratedData;
  /** The cell's calls and rejections as the run recorded them: the html report's drill-down. */
  readonly activity?: CellActivity;
  /** A few of its generated instances and of its student's answers: the html report's drill-down. */
  readonly samples?: CellSamples;
}

export interface CellSamples {
  /** The latest accepted instances, newest first. */
  readonly instances: readonly { readonly seq: number; readonly instruction: string; readonly response: string }[];
  /** The student's first answers per benchmark (by item id), with the grade and the judge's verdict where there is one. */
  readonly answers: readonly StudentAnswer[];
}

export interface StudentAnswer {
  readonly benchmark: BenchmarkId;
  readonly itemId: string;
  readonly output: string | null;
  readonly score: number | null;
  /** As stored: a judge's verdict (AlpacaEval, Arena-Hard) or a grader's details. */
  readonly verdict?: unknown;
}

export interface CellActivity {
  readonly calls: number;
  readonly retries: number;
  readonly tokensIn: number;
  readonly tokensOut: number;
  /** Generated instances the validators refused, by reason. */
  readonly rejectionsByReason: Readonly<Record<string, number>>;
  /** The latest errors, newest first (the cell's own error among them). */
  readonly lastErrors: readonly string[];
}

export interface GeneratedData {
  readonly accepted: number;
  readonly target: number;
  /** Seed items given up after every attempt was rejected (response/quality). */
  readonly dropped: number;
}

export interface ReportGenerator {
  readonly id: string;
  readonly model: string;
  /** The generator's own problem-solving score, where the config gives one (evaluate.problemSolving). */
  readonly problemSolving?: number;
}

export interface ReportBaselineScore {
  readonly score: ScoreOrReason;
  /** `evaluated` (n items), `config`, or `paper` for the default reference scores. */
  readonly source?: string;
  readonly n?: number;
}

export interface ReportInput {
  readonly name: string;
  readonly generators: readonly ReportGenerator[];
  readonly settings: readonly SettingId[];
  readonly cells: readonly ReportCell[];
  readonly baselines: {
    readonly base: Partial<Record<BenchmarkId, ReportBaselineScore>>;
    readonly reference: Partial<Record<BenchmarkId, ReportBaselineScore>>;
  };
  /** Judge spending on the baselines (charged to no cell), USD. */
  readonly baselineJudgeCostUsd: number;
  /** Where S_0 and S_ref come from under the current config: the report says which PGR used. */
  readonly baselineOrigins: { readonly base: BaselineOrigin; readonly reference: BaselineOrigin };
  /** The paper's Llama-3.1-8B-Instruct scores, shown beside S_ref as a labelled comparison column. */
  readonly paperReference: Partial<Record<BenchmarkId, number>>;
  /** The intrinsic metrics' analyses (issue 13), computed by the caller with its numeric adapter. */
  readonly analysis?: AnalysisModel;
  /** metaPrompt's variants, the main sweep's first: two or more make the ablation table (Table 5). */
  readonly metaPrompts?: readonly string[];
  /** fixedBudget.usd: the amounts of the fixed-budget study (Figure 7). */
  readonly fixedBudgetUsd?: readonly number[];
}

/** A table entry: a number, the reason there is none, or nothing yet (with the cell's status). */
export type ReportValue =
  /** `flag`: why the PGR cannot be read as recovery (core/report/pgr-flags.ts). */
  | { readonly kind: 'value'; readonly value: number; readonly flag?: string }
  | { readonly kind: 'reason'; readonly reason: string }
  | { readonly kind: 'empty'; readonly status?: string };

export const EMPTY: ReportValue = { kind: 'empty' };

export function fromScore(v: ScoreOrReason | PgrValue): ReportValue {
  if (!('value' in v)) return { kind: 'reason', reason: v.reason };
  return 'flag' in v && v.flag !== undefined ? { kind: 'value', value: v.value, flag: v.flag } : { kind: 'value', value: v.value };
}

/** Where an unscored cell stands, e.g. `train running` or `evaluate failed: ...`. */
export function cellStatus(c: ReportCell): string {
  return `${c.stage} ${c.state}${c.error ? `: ${c.error}` : ''}`;
}
