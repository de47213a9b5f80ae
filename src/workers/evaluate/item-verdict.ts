import { arenaBattles, arenaScore, type ArenaGame } from '../../core/grade/arena-score.js';
import { gradeCodeItem, gradeGsm8kItem, gradeMathItem } from '../../core/grade/grade-answers.js';
import { judgeAlpacaItem, judgeArenaItem } from '../../core/grade/grade-judged.js';
import { winRates, type PairwiseJudgement } from '../../core/grade/lc-win-rate.js';
import type { BenchmarkItem, CodeRunner, ItemResult, JudgeComplete, SymbolicChecker } from '../../core/grade/types.js';
import type { BenchmarkId } from '../../core/setting.js';

/** One item's verdict as stored in eval_items.verdict_json: enough to recompute the benchmark's score without regrading. */
export type StoredVerdict =
  | { readonly kind: 'answer'; readonly result: ItemResult }
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
    case 'humaneval':
      return { kind: 'answer', result: await gradeCodeItem(item, output, need(deps.runCode, 'a sandbox')) };
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
export function aggregateVerdicts(benchmark: BenchmarkId, verdicts: readonly StoredVerdict[], opts: { seed: number; bootstrapRounds?: number }): AggregateScore | undefined {
  if (benchmark === 'alpaca_eval') {
    const judgements = verdicts.flatMap((v) => (v.kind === 'alpaca' && v.judgement ? [v.judgement] : []));
    if (judgements.length === 0) return undefined;
    const w = winRates(judgements);
    return {
      score: w.lengthControlledWinRate, n: judgements.length, ciLow: null, ciHigh: null,
      metrics: { lc_win_rate: w.lengthControlledWinRate, win_rate: w.winRate, wins: w.nWins, draws: w.nDraws, losses: w.nLosses, unparseable: verdicts.length - judgements.length },
    };
  }
  if (benchmark === 'arena_hard') {
    const games = verdicts.flatMap((v) => (v.kind === 'arena' ? [...v.games] : []));
    const s = arenaScore(games, { rounds: opts.bootstrapRounds ?? 100, seed: opts.seed });
    if (s.battles === 0) return undefined;
    return { score: s.score, n: verdicts.length, ciLow: s.ci[0], ciHigh: s.ci[1], metrics: { battles: s.battles, games: games.length, unparseable: s.unparseable } };
  }
  if (verdicts.length === 0) return undefined;
  const correct = verdicts.filter((v) => v.result.score === 1).length;
  return { score: (100 * correct) / verdicts.length, n: verdicts.length, ciLow: null, ciHigh: null, metrics: { correct } };
}
