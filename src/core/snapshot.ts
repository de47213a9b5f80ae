import type { CellState, Stage } from './cell-state.js';
import type { PlanBreakdown } from './plan-breakdown.js';
import type { BenchmarkId, SettingId } from './setting.js';

/** What a stage is doing now; one variant per stage so views can show step/total etc. */
export type StageProgress =
  | { readonly stage: 'generate'; readonly accepted: number; readonly target: number }
  | {
      readonly stage: 'train';
      readonly step: number;
      readonly totalSteps: number;
      readonly loss?: number;
      readonly etaSeconds?: number;
      readonly checkpoint?: string;
    }
  | { readonly stage: 'evaluate'; readonly graded: number; readonly total: number }
  | { readonly stage: 'score' }
  /** Rows stored of the rows the cell's sample needs, over every configured metric. */
  | { readonly stage: 'metrics'; readonly done: number; readonly total: number };

/**
 * A PGR value, or the reason there is none (missing baseline, zero denominator). `flag`: why
 * the value cannot be read as recovery (core/report/pgr-flags.ts), shown as a `!` mark.
 */
export type PgrValue = { readonly value: number; readonly flag?: string } | { readonly reason: string };

/** Where a baseline's scores came from: evaluated in agora's harness, the paper's table, or the config. */
export type BaselineOrigin =
  { readonly kind: 'evaluated'; readonly model: string } | { readonly kind: 'paper' } | { readonly kind: 'config' } | { readonly kind: 'none' };

export interface CellScores {
  /** Raw benchmark scores of the trained student, 0-100. */
  readonly benchmarks: Partial<Record<BenchmarkId, number>>;
  readonly pgrByBenchmark: Partial<Record<BenchmarkId, PgrValue>>;
  /** Mean over the domain's two benchmarks. */
  readonly pgr: PgrValue;
  /** The S_0 and S_ref this PGR was computed against (absent in scores written before issue 9). */
  readonly baselines?: { readonly base: BaselineOrigin; readonly reference: BaselineOrigin };
}

export interface CellSnapshot {
  readonly id: number;
  readonly generator: string;
  readonly setting: SettingId;
  readonly stage: Stage;
  readonly state: CellState;
  readonly accepted: number;
  readonly target: number;
  readonly rejected: number;
  /** Seed items dropped after every attempt was rejected (response/quality); absent means 0. */
  readonly dropped?: number;
  /** API cost of this cell so far (generation and judging), USD. */
  readonly costUsd: number;
  /**
   * costUsd split: the generator's own calls, and the judge's calls evaluating the cell's
   * student. Absent in snapshots that do not read it: then all of costUsd is generation.
   */
  readonly generationCostUsd?: number;
  /** Batches of this cell at the provider (generators[].batch): how many, and requests done of all. */
  readonly atProvider?: { readonly batches: number; readonly done: number; readonly total: number };
  readonly judgeCostUsd?: number;
  /** GPU cost (train.gpuHourUsd x GPU hours), USD; 0 when no price is configured. */
  readonly gpuCostUsd: number;
  readonly error?: string;
  readonly progress?: StageProgress;
  readonly scores?: CellScores;
  readonly updatedAt: number;
}

export interface GeneratorSnapshot {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly price: { readonly input: number; readonly output: number };
  readonly capUsd?: number;
  readonly spentUsd: number;
  readonly reservedUsd: number;
  /** The part of spentUsd charged at worst case for requests cut off by a crash or abort. */
  readonly orphanedUsd: number;
  /** Why its cells cannot run (e.g. `OPENAI_API_KEY is not set`). */
  readonly blockedReason?: string;
}

export interface RunSnapshot {
  readonly name: string;
  readonly runDir: string;
  readonly budgetUsd: number;
  readonly spentUsd: number;
  readonly reservedUsd: number;
  /** The part of spentUsd charged at worst case (not measured): see GeneratorSnapshot.orphanedUsd. */
  readonly orphanedUsd: number;
  readonly generators: readonly GeneratorSnapshot[];
  readonly settings: readonly SettingId[];
  /**
   * The meta-prompt ablation's further variants (metaPrompt given as a list, after its first):
   * each generator has a row of `setting@variant` cells per variant. Absent or empty: none.
   */
  readonly variants?: readonly string[];
  readonly cells: readonly CellSnapshot[];
  /** No new jobs are scheduled while paused; running ones go on. */
  readonly paused: boolean;
  /** Set by `agora stop`: nothing new starts until the run is started again ("stopped by agora stop at ..."). */
  readonly stopped?: string;
  /** A line for the user from the conductor (a config edit that could not be taken). */
  readonly notice?: string;
  /** True when another process is the conductor of this run and this one only watches. */
  readonly readOnly: boolean;
  /** Estimated cost of the whole sweep from `agora plan`, before any spending. */
  readonly plannedUsd?: { readonly low: number; readonly expected: number; readonly high: number };
  /** The same plan by component and cell (absent in runs planned before issue 12). */
  readonly planBreakdown?: PlanBreakdown;
  /** Who judges and what evaluation has cost beside the generators' own calls (issue 12). */
  readonly evaluation?: EvaluationSpending;
  /** What the sweep's speed is measured from: recent instances and finished jobs (issue 12). */
  readonly pace?: SweepPace;
  readonly takenAt: number;
}

/** The judge, and the money spent and held for evaluation rather than generation. */
export interface EvaluationSpending {
  readonly judge?: {
    readonly id: string;
    readonly model: string;
    readonly price: { readonly input: number; readonly output: number };
    /** True when the judge is one of the sweep's generators: its cap then covers both. */
    readonly isGenerator: boolean;
  };
  /** Calls that belong to no cell: judging the baselines (S_0 and S_ref). */
  readonly baselinesUsd: number;
  /** Open reservations by what they are for (generation by the cell's generator). */
  readonly reserved: {
    readonly generationByGenerator: Readonly<Record<string, number>>;
    readonly judgeCellsUsd: number;
    readonly baselinesUsd: number;
  };
}

export interface StageDuration {
  readonly meanSeconds: number;
  readonly jobs: number;
}

export interface SweepPace {
  /**
   * Instances accepted from `sinceAt` (the oldest of them) to the snapshot's takenAt: those of
   * the last minutes, at most a bounded count of the newest.
   */
  readonly recentAccepted: number;
  readonly sinceAt: number;
  /** Mean wall time of the jobs that finished, by stage. */
  readonly stageSeconds: Partial<Record<Stage, StageDuration>>;
  /** GPU jobs that can run at once (train.gpus / gpusPerJob), when the config says. */
  readonly gpuSlots?: number;
}

export interface TimelineEntry {
  readonly stage: Stage;
  readonly state: CellState;
  readonly at: number;
  readonly message?: string;
}

/** The detail view's data for one cell; read on demand, not polled for every cell. */
export interface CellDetail {
  readonly cell: CellSnapshot;
  readonly timeline: readonly TimelineEntry[];
  readonly rejectionsByReason: Readonly<Record<string, number>>;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly calls: number;
  readonly retries: number;
  readonly lastErrors: readonly string[];
  readonly logTail: readonly string[];
  /** Training loss per logged step, oldest first. */
  readonly lossCurve: readonly number[];
  readonly etaSeconds?: number;
}
