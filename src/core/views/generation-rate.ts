import type { CellPlanCost, PlanBreakdown } from '../plan-breakdown.js';
import { parseSetting } from '../setting.js';
import { variantBudgetUsd } from '../run-config.js';
import type { CellSnapshot, GeneratorSnapshot } from '../snapshot.js';

/**
 * Where a cost per instance came from: measured on the run (the cell itself, or its generator
 * on the same method or any), another generator's measured rate scaled by token price, the
 * plan (`agora plan`), or nothing yet.
 */
export type ProjectionBasis = 'measured' | 'price-scaled' | 'planned' | 'none';

export interface Rate {
  readonly usdPerInstance?: number;
  readonly basis: ProjectionBasis;
}

/** What the generator's own calls cost for a cell; judging is kept apart (issue 12). */
export function generationCost(c: CellSnapshot): number {
  return c.generationCostUsd ?? c.costUsd;
}

export function judgeCost(c: CellSnapshot): number {
  return c.judgeCostUsd ?? 0;
}

/** Rough price index of a generator: what one input plus one output token costs. */
function priceIndex(g: GeneratorSnapshot | undefined): number {
  return g ? g.price.input + g.price.output : 0;
}

/**
 * Instances a cell still has to generate; a dropped seed item will never be made, so it is not
 * work left. A fixed-budget cell (`@usd5`) generates nothing: it trains on a prefix of its main
 * cell's data, which is already counted there.
 */
export function instancesLeft(c: CellSnapshot): number {
  if (variantBudgetUsd(parseSetting(c.setting).variant) !== undefined) return 0;
  return c.stage === 'generate' && c.state !== 'done' ? Math.max(0, c.target - c.accepted - (c.dropped ?? 0)) : 0;
}

export function planCellOf(plan: PlanBreakdown | undefined, c: CellSnapshot): CellPlanCost | undefined {
  return plan?.cells.find((p) => p.generator === c.generator && p.setting === c.setting);
}

/**
 * The cost per instance a cell's remaining generation is projected at, from the best basis
 * at hand: the cell's own accepted instances; its generator on the same method (response
 * generation costs what response generation costs, not what instance generation does); another
 * generator on the same method scaled by price; the plan; its generator on any method; the
 * run's rate scaled by price.
 */
export function rateFinder(
  cells: readonly CellSnapshot[],
  generators: readonly GeneratorSnapshot[],
  plan: PlanBreakdown | undefined,
): (c: CellSnapshot) => Rate {
  const gens = new Map(generators.map((g) => [g.id, g]));
  const paid = cells.filter((c) => c.accepted > 0 && generationCost(c) > 0);
  const perInstance = (pick: (c: CellSnapshot) => boolean): number | undefined => {
    const set = paid.filter(pick);
    const n = set.reduce((s, c) => s + c.accepted, 0);
    return n > 0 ? set.reduce((s, c) => s + generationCost(c), 0) / n : undefined;
  };
  const perPriceUnit = (pick: (c: CellSnapshot) => boolean): number | undefined => {
    const set = paid.filter(pick);
    const units = set.reduce((s, c) => s + c.accepted * priceIndex(gens.get(c.generator)), 0);
    return units > 0 ? set.reduce((s, c) => s + generationCost(c), 0) / units : undefined;
  };
  const method = (c: CellSnapshot) => parseSetting(c.setting).method;
  const runUnit = perPriceUnit(() => true);

  return (c) => {
    if (c.accepted > 0 && generationCost(c) > 0) return { usdPerInstance: generationCost(c) / c.accepted, basis: 'measured' };
    const sameMethod = perInstance((o) => o.generator === c.generator && method(o) === method(c));
    if (sameMethod !== undefined) return { usdPerInstance: sameMethod, basis: 'measured' };
    const price = priceIndex(gens.get(c.generator));
    const methodUnit = perPriceUnit((o) => method(o) === method(c));
    if (methodUnit !== undefined) return { usdPerInstance: methodUnit * price, basis: 'price-scaled' };
    const planned = planCellOf(plan, c);
    if (planned && c.target > 0) return { usdPerInstance: planned.generation.expected / c.target, basis: 'planned' };
    const sameGen = perInstance((o) => o.generator === c.generator);
    if (sameGen !== undefined) return { usdPerInstance: sameGen, basis: 'measured' };
    if (runUnit !== undefined) return { usdPerInstance: runUnit * price, basis: 'price-scaled' };
    return { basis: 'none' };
  };
}

const WEAKNESS: readonly ProjectionBasis[] = ['measured', 'price-scaled', 'planned', 'none'];

/** The least certain of several bases (a generator's projection is as good as its weakest cell's). */
export function weakestBasis(bases: readonly ProjectionBasis[]): ProjectionBasis {
  return bases.reduce<ProjectionBasis>((w, b) => (WEAKNESS.indexOf(b) > WEAKNESS.indexOf(w) ? b : w), 'measured');
}
