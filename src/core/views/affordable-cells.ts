import type { RunSnapshot } from '../snapshot.js';
import type { SweepProjection } from './cost-projection.js';
import { formatUsd } from './format.js';

export interface AffordableCells {
  /** Budget left: the run's budget less spent and reserved. */
  readonly freeUsd: number;
  /** Cells that still need API money, and can be said how much. */
  readonly unfinished: number;
  /** Those the free money (and their caps) can finish, cheapest first: `gpt-4o math/instance`. */
  readonly finishes: readonly string[];
  /** Unfinished cells with no basis for a cost yet. */
  readonly unknown: number;
}

/**
 * Which unfinished cells the money left can still pay for, cheapest remaining cost first:
 * each cell's generation counts against its generator's cap, its judging against the judge's
 * (when the judge is a generator), and both against the run budget. The baselines' judging
 * comes first, since no judged cell is scored without it.
 */
export function affordableCells(run: RunSnapshot, projection: SweepProjection): AffordableCells {
  let free = run.budgetUsd - run.spentUsd - run.reservedUsd;
  const freeUsd = Math.max(0, free);
  const capLeft = new Map(run.generators.filter((g) => g.capUsd !== undefined).map((g) => [g.id, g.capUsd! - g.spentUsd - g.reservedUsd]));
  const judgeId = run.evaluation?.judge?.id;
  const charge = (scope: string | undefined, usd: number): boolean => {
    const left = scope === undefined ? undefined : capLeft.get(scope);
    if (left !== undefined && usd > left + 1e-9) return false;
    if (scope !== undefined && left !== undefined) capLeft.set(scope, left - usd);
    return true;
  };
  const todo = projection.cells.filter((p) => (p.generationRemainingUsd ?? 1) + (p.judgeRemainingUsd ?? 1) > 0);
  const known = todo.filter((p) => p.generationRemainingUsd !== undefined && p.judgeRemainingUsd !== undefined);
  const judgedLeft = known.some((p) => (p.judgeRemainingUsd ?? 0) > 0);
  const baselines = judgedLeft ? (projection.baselines.remainingUsd ?? 0) : 0;
  free -= baselines;
  const baselinesFit = free >= -1e-9 && charge(judgeId, baselines);
  const cost = (p: (typeof known)[number]) => (p.generationRemainingUsd ?? 0) + (p.judgeRemainingUsd ?? 0);
  const finishes: string[] = [];
  for (const p of [...known].sort((a, b) => cost(a) - cost(b))) {
    const judge = p.judgeRemainingUsd ?? 0;
    if ((judge > 0 && !baselinesFit) || cost(p) > free + 1e-9) continue;
    const gen = p.generationRemainingUsd ?? 0;
    // Both charges must fit before either is taken (the judge may be this cell's own generator).
    const snapshot = new Map(capLeft);
    if (!charge(p.generator, gen) || !charge(judgeId, judge)) {
      for (const [k, v] of snapshot) capLeft.set(k, v);
      continue;
    }
    free -= cost(p);
    finishes.push(`${p.generator} ${p.setting}`);
  }
  return { freeUsd, unfinished: todo.length, finishes, unknown: todo.length - known.length };
}

/**
 * `the remaining $2.50 finishes 2 of 3 unfinished cells, cheapest first: a inst/instance, a
 * code/instance`: the list last, as the line may be cut at the terminal's edge. Unfinished:
 * still needing API money.
 */
export function affordableText(a: AffordableCells): string | undefined {
  if (a.unfinished === 0) return undefined;
  const money = `the remaining ${formatUsd(a.freeUsd)}`;
  if (a.finishes.length === a.unfinished) return `${money} finishes ${a.unfinished === 1 ? 'the one unfinished cell' : `all ${a.unfinished} unfinished cells`}`;
  const unknown = a.unknown > 0 ? ` (${a.unknown} not estimated yet)` : '';
  const which = a.finishes.length > 0 ? `, cheapest first: ${a.finishes.join(', ')}` : '';
  return `${money} finishes ${a.finishes.length} of ${a.unfinished} unfinished cells${unknown}${which}`;
}
