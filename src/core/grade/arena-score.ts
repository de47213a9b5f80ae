import type { ArenaVerdict } from './arena-judge.js';
import { mulberry32 } from './seeded-random.js';

/** One judged game: the verdict (undefined when unparseable) and which seat the student had. */
export interface ArenaGame {
  readonly verdict: ArenaVerdict | undefined;
  readonly studentIs: 'A' | 'B';
}

/** Strong verdicts count three times, as `WEIGHT = 3` in arena-hard's `show_result.py`. */
export const STRONG_WEIGHT = 3;

/**
 * The battles of arena-hard v0.1 from the student's side: 1 won, 0.5 tie, 0 lost, a strong
 * verdict repeated STRONG_WEIGHT times, an unparseable game dropped (weight 0 there too).
 */
export function arenaBattles(games: readonly ArenaGame[]): number[] {
  const out: number[] = [];
  for (const g of games) {
    if (g.verdict === undefined) continue;
    const strong = g.verdict === 'A>>B' || g.verdict === 'B>>A';
    const aWins = g.verdict === 'A>>B' || g.verdict === 'A>B';
    const bWins = g.verdict === 'B>>A' || g.verdict === 'B>A';
    const outcome = aWins ? (g.studentIs === 'A' ? 1 : 0) : bWins ? (g.studentIs === 'B' ? 1 : 0) : 0.5;
    for (let i = 0; i < (strong ? STRONG_WEIGHT : 1); i++) out.push(outcome);
  }
  return out;
}

/** numpy's default percentile (linear interpolation between closest ranks). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * (q / 100);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? 0;
  return a + (b - a) * (pos - lo);
}

export interface ArenaScore {
  /** Win rate against the baseline, 0-100 (the baseline itself scores 50). */
  readonly score: number;
  /** 95% bootstrap interval, 0-100. */
  readonly ci: readonly [number, number];
  readonly battles: number;
  readonly unparseable: number;
}

/**
 * Arena-Hard's score against its baseline. With only the student and the baseline in the
 * battles, the Bradley-Terry fit of `compute_mle_elo` (no penalty, ties half a win to each)
 * predicts exactly the weighted win rate (wins + ties / 2) / battles, so that is computed
 * directly; the interval resamples battles with replacement as `get_bootstrap_result` does.
 */
export function arenaScore(games: readonly ArenaGame[], opts: { readonly rounds?: number; readonly seed?: number } = {}): ArenaScore {
  const battles = arenaBattles(games);
  const unparseable = games.filter((g) => g.verdict === undefined).length;
  const n = battles.length;
  if (n === 0) return { score: Number.NaN, ci: [Number.NaN, Number.NaN], battles: 0, unparseable };
  const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  const rng = mulberry32(opts.seed ?? 42);
  const rounds = opts.rounds ?? 100;
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += battles[Math.floor(rng() * n)] ?? 0;
    samples.push(sum / n);
  }
  samples.sort((a, b) => a - b);
  return { score: 100 * mean(battles), ci: [100 * percentile(samples, 2.5), 100 * percentile(samples, 97.5)], battles: n, unparseable };
}
