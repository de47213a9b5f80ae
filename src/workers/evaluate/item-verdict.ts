import { arenaBattles, arenaScore, type ArenaGame } from '../../core/grade/arena-score.js';
import { gradeCodeItem, gradeGsm8kItem, gradeMathItem } from '../../core/grade/grade-answers.js';
import { judgeAlpacaItem, judgeArenaItem } from '../../core/grade/grade-judged.js';
import { winRates, type PairwiseJudgement } from '../../core/grade/lc-win-rate.js';
import type { BenchmarkItem, CodeRunner, ItemResult, JudgeComplete, SymbolicChecker } from '../../core/grade/types.js';
import type { BenchmarkId } from '../../core/setting.js';
import { plusVariant } from '../../adapters/benchmarks/evalplus-records.js';

/** One item's verdict as stored in eval_items.verdict_json: enough to recompute the benchmark's score without regrading. */
export type StoredVerdict =
  | { readonly kind: 'answer'; readonly result: ItemResult; readonly plus?: ItemResult }
  | { readonly kind: 'alpaca'; readonly result: ItemResult; readonly judgement?: PairwiseJudgement }
  | { readonly kind: 'arena'; readonly result: ItemResult; readonly games: readonly ArenaGame[] };

export interface VerdictDeps {
  readonly symbolic?: SymbolicChecker;
  readonly runCode?: CodeRunner;
  readonly judge?: JudgeComplete;
  readonly seed: number;
}

function need<T>(dep: T | undefined, what: string): T {
  if (dep === undefined) throw new Error(`internal: ${what} is needed to grade this benchmark`);
  return dep;
}

/** Grades one item with the graders' own per-item logic (grade-answers, grade-judged). */
export async function gradeItem(item: BenchmarkItem, output: string, deps: VerdictDeps): Promise<StoredVerdict> {
  switch (item.benchmark) {
    case 'gsm8k':
      return { kind: 'answer', result: gradeGsm8kItem(item, output) };
    case 'math':
      return { kind: 'answer', result: await gradeMathItem(item, output, deps.symbolic) };
    case 'mbpp':
    case 'humaneval': {
      const run = need(deps.runCode, 'a sandbox');
      const result = await gradeCodeItem(item, output, run);
      // EvalPlus' extra tests, reported beside the base pass@1 (the paper's number).
      const plusItem = plusVariant(item);
      return { kind: 'answer', result, ...(plusItem && { plus: await gradeCodeItem(plusItem, output, run) }) };
    }
    case 'alpaca_eval': {
      const r = await judgeAlpacaItem(item, output, need(deps.judge, 'a judge'), deps.seed);
      return { kind: 'alpaca', result: r.result, ...(r.judgement && { judgement: r.judgement }) };
    }
    case 'arena_hard': {
      const r = await judgeArenaItem(item, output, need(deps.judge, 'a judge'));
      const battles = arenaBattles(r.games);
      const score = battles.length > 0 ? battles.reduce((s, v) => s + v, 0) / battles.length : undefined;
      return { kind: 'arena', result: { ...r.result, ...(score !== undefined && { score }) }, games: r.games };
    }
  }
}

/**
 * A verdict the judge left unparseable (or none at all): a retry asks for it again, so a judge
 * that is fixed afterwards gets its chance instead of the stored failure being counted forever.
 */
export function needsGrading(verdict: unknown): boolean {
  if (verdict === undefined || verdict === null) return true;
  const v = verdict as StoredVerdict;
  if (v.kind === 'alpaca') return v.judgement === undefined;
  if (v.kind === 'arena') return v.games.some((g) => g.verdict === undefined);
  return false;
}

export interface AggregateScore {
  readonly score: number;
  readonly n: number;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly metrics: Record<string, number>;
}

/**
 * The benchmark's headline number from its items' verdicts, computed as gradeBenchmark does:
 * accuracy / pass@1, AlpacaEval's length-controlled win rate, Arena-Hard's score with its
 * bootstrap interval. Undefined when no item could be scored (every verdict unparseable).
 */
export function aggregateVerdicts(
  benchmark: BenchmarkId,
  verdicts: readonly StoredVerdict[],
  opts: { seed: number; bootstrapRounds?: number },
): AggregateScore | undefined {
  if (benchmark === 'alpaca_eval') {
    const judgements = verdicts.flatMap((v) => (v.kind === 'alpaca' && v.judgement ? [v.judgement] : []));
    if (judgements.length === 0) return undefined;
    const w = winRates(judgements);
    return {
      score: w.lengthControlledWinRate,
      n: judgements.length,
      ciLow: null,
      ciHigh: null,
      metrics: {
        lc_win_rate: w.lengthControlledWinRate,
        win_rate: w.winRate,
        wins: w.nWins,
        draws: w.nDraws,
        losses: w.nLosses,
        unparseable: verdicts.length - judgements.length,
      },
    };
  }
  if (benchmark === 'arena_hard') {
    const games = verdicts.flatMap((v) => (v.kind === 'arena' ? [...v.games] : []));
    const s = arenaScore(games, { rounds: opts.bootstrapRounds ?? 100, seed: opts.seed });
    if (s.battles === 0) return undefined;
    return {
      score: s.score,
      n: verdicts.length,
      ciLow: s.ci[0],
      ciHigh: s.ci[1],
      metrics: { battles: s.battles, games: games.length, unparseable: s.unparseable },
    };
  }
  if (verdicts.length === 0) return undefined;
  const correct = verdicts.filter((v) => v.result.score === 1).length;
  const plus = verdicts.flatMap((v) => (v.kind === 'answer' && v.plus ? [v.plus] : []));
  const plusMetrics: Record<string, number> =
    plus.length > 0 ? { plus_pass_at_1: (100 * plus.filter((p) => p.score === 1).length) / plus.length, plus_n: plus.length } : {};
  return { score: (100 * correct) / verdicts.length, n: verdicts.length, ciLow: null, ciHigh: null, metrics: { correct, ...plusMetrics } };
}
