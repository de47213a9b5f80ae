import type { BenchmarkId } from '../setting.js';
import { arenaBattles, arenaScore, type ArenaGame } from './arena-score.js';
import { gradeCodeItem, gradeGsm8kItem, gradeMathItem } from './grade-answers.js';
import { judgeAlpacaItem, judgeArenaItem } from './grade-judged.js';
import { winRates, type PairwiseJudgement } from './lc-win-rate.js';
import { mapLimit } from './map-limit.js';
import type { BenchmarkItem, CodeRunner, GradeReport, ItemResult, JudgeComplete, SymbolicChecker } from './types.js';

export interface GradeDeps {
  readonly symbolic?: SymbolicChecker;
  readonly runCode?: CodeRunner;
  readonly judge?: JudgeComplete;
  /** Items graded at once (judge calls, sandboxes; the sandbox runner has its own cap too). */
  readonly concurrency?: number;
  /** Seeds the AlpacaEval output order and the Arena-Hard bootstrap. */
  readonly seed?: number;
  readonly bootstrapRounds?: number;
  /** `wrong` (default): an item without a prediction scores 0 and counts; `skip`: it is left out. */
  readonly missing?: 'wrong' | 'skip';
  readonly onProgress?: (graded: number, total: number) => void;
}

export class GradeSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GradeSetupError';
  }
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, v) => s + v, 0) / xs.length;
}

/**
 * Grades a benchmark's items against predictions (id -> output). Answer logic is pure; the
 * sandbox, sympy and the judge come in through `deps`, so the same code serves the CLI, the
 * evaluation worker and the tests.
 */
export async function gradeBenchmark(
  benchmark: BenchmarkId,
  items: readonly BenchmarkItem[],
  predictions: ReadonlyMap<string, string>,
  deps: GradeDeps = {},
): Promise<GradeReport> {
  const wrong = (deps.missing ?? 'wrong') === 'wrong';
  const known = new Set(items.map((i) => i.id));
  const unknown = [...predictions.keys()].filter((id) => !known.has(id));
  const graded = items.filter((i) => wrong || predictions.has(i.id));
  const missing = items.filter((i) => !predictions.has(i.id)).length;
  const notes: string[] = [];
  if (unknown.length > 0) notes.push(`${unknown.length} prediction(s) for ids not in ${benchmark} were ignored (first: ${unknown[0]})`);
  if (missing > 0) notes.push(wrong ? `${missing} item(s) had no prediction and count as wrong` : `${missing} item(s) had no prediction and were left out`);
  const concurrency = deps.concurrency ?? 8;
  let done = 0;
  const tick = () => deps.onProgress?.(++done, graded.length);
  const noPrediction = (id: string): ItemResult => ({ id, score: 0, detail: 'no prediction' });
  const base = { benchmark, missing, notes };

  if (benchmark === 'alpaca_eval') {
    const judge = requireJudge(deps.judge, benchmark);
    const judged = await mapLimit(graded, concurrency, async (item) => {
      const output = predictions.get(item.id);
      if (item.benchmark !== 'alpaca_eval') throw new GradeSetupError(`item ${item.id} is not an alpaca_eval item`);
      // A missing answer is an empty one: it loses, and its length enters the length model.
      const r =
        output === undefined
          ? { result: noPrediction(item.id), judgement: { preference: 0, modelLength: 0, baselineLength: item.referenceOutput.length } }
          : await judgeAlpacaItem(item, output, judge, deps.seed ?? 42);
      tick();
      return r;
    });
    const judgements = judged.map((j) => j.judgement).filter((j): j is PairwiseJudgement => j !== undefined);
    const unparseable = judged.length - judgements.length;
    if (unparseable > 0) notes.push(`${unparseable} judge verdict(s) stayed unparseable after a retry and were left out`);
    const w = winRates(judgements);
    return {
      ...base,
      n: judgements.length,
      score: w.lengthControlledWinRate,
      metrics: {
        lc_win_rate: w.lengthControlledWinRate,
        win_rate: w.winRate,
        wins: w.nWins,
        draws: w.nDraws,
        losses: w.nLosses,
        unparseable,
        glm_intercept: w.weights[0],
        glm_length_coef: w.weights[1],
      },
      items: judged.map((j) => j.result),
    };
  }

  if (benchmark === 'arena_hard') {
    const judge = requireJudge(deps.judge, benchmark);
    const judged = await mapLimit(graded, Math.max(1, Math.floor(concurrency / 2)), async (item) => {
      const output = predictions.get(item.id);
      if (item.benchmark !== 'arena_hard') throw new GradeSetupError(`item ${item.id} is not an arena_hard item`);
      // A missing answer loses both games strongly, as an empty answer would.
      const r =
        output === undefined
          ? {
              result: noPrediction(item.id),
              games: [
                { verdict: 'A>>B', studentIs: 'B' },
                { verdict: 'B>>A', studentIs: 'A' },
              ] as const,
            }
          : await judgeArenaItem(item, output, judge);
      tick();
      return { ...r, result: { ...r.result, score: mean(arenaBattles(r.games)) } };
    });
    const games: ArenaGame[] = judged.flatMap((j) => [...j.games]);
    const s = arenaScore(games, { rounds: deps.bootstrapRounds ?? 100, seed: deps.seed ?? 42 });
    if (s.unparseable > 0) notes.push(`${s.unparseable} of ${games.length} games had no parseable verdict after a retry and were left out`);
    return {
      ...base,
      n: graded.length,
      score: s.score,
      metrics: { score: s.score, ci_low: s.ci[0], ci_high: s.ci[1], battles: s.battles, games: games.length, unparseable: s.unparseable },
      items: judged.map((j) => j.result),
    };
  }

  let symbolicSkipped = 0;
  const results = await mapLimit(graded, concurrency, async (item): Promise<ItemResult> => {
    const output = predictions.get(item.id);
    let r: ItemResult;
    if (output === undefined) r = noPrediction(item.id);
    else if (item.benchmark === 'gsm8k') r = gradeGsm8kItem(item, output);
    else if (item.benchmark === 'math') {
      r = await gradeMathItem(item, output, deps.symbolic);
      if (r.detail?.includes('symbolic check')) symbolicSkipped++;
    } else if (item.benchmark === 'mbpp' || item.benchmark === 'humaneval') r = await gradeCodeItem(item, output, requireRunner(deps.runCode, benchmark));
    else throw new GradeSetupError(`item ${item.id} (${item.benchmark}) is not a ${benchmark} item`);
    tick();
    return r;
  });
  if (symbolicSkipped > 0)
    notes.push(`${symbolicSkipped} MATH answer(s) needed a symbolic check that did not run or finish (see per-item detail); they count as wrong`);
  const correct = results.filter((r) => r.score === 1).length;
  const score = results.length === 0 ? 0 : (100 * correct) / results.length;
  return { ...base, n: results.length, score, metrics: { correct, ...(benchmark === 'math' ? { symbolic_unchecked: symbolicSkipped } : {}) }, items: results };
}

function requireJudge(judge: JudgeComplete | undefined, benchmark: BenchmarkId): JudgeComplete {
  if (!judge) throw new GradeSetupError(`${benchmark} is graded by an LLM judge, and none was configured`);
  return judge;
}

function requireRunner(run: CodeRunner | undefined, benchmark: BenchmarkId): CodeRunner {
  if (!run) throw new GradeSetupError(`${benchmark} runs code, and no sandbox runner was given`);
  return run;
}
