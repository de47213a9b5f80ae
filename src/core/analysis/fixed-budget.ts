/**
 * The fixed-budget study (the paper's Figure 7): for one dollar amount, how many instances each
 * generator buys, and so which prefix of a cell's data a student is trained on to read off the
 * PGR that amount gives. A cheap generator buys more instances than a dear one; the question
 * is whether more, weaker data beats less, better data.
 */

/** What generating a cell's data cost, as measured by the run. */
export interface GenerationSpend {
  readonly generator: string;
  /**
   * Dollars spent on the cell's generation, every attempt included: rejected and retried
   * items were paid for too, so the honest price of an instance is spend / accepted.
   */
  readonly spentUsd: number;
  /** Instances the run accepted into the cell's data, in generation order. */
  readonly accepted: number;
}

export interface BudgetShare {
  readonly generator: string;
  readonly costPerInstance: number;
  /** Whole instances the budget pays for at that price (Infinity for a free generator). */
  readonly affordable: number;
  /**
   * How many of the cell's first instances to train on: the affordable count, capped by what
   * the cell holds. Seed data that a method always trains on (instance generation) is not a
   * purchase and is added by the training stage regardless.
   */
  readonly prefixSize: number;
  /** The cell holds fewer instances than the budget buys: its PGR at this budget is a floor. */
  readonly limitedByData: boolean;
  /** Dollars the prefix cost: at most the budget. */
  readonly prefixCostUsd: number;
}

/** Spend per accepted instance; a cell with nothing accepted has no price. */
export function costPerAcceptedInstance(spend: GenerationSpend): number {
  if (!Number.isFinite(spend.spentUsd) || spend.spentUsd < 0) {
    throw new RangeError(`generator ${spend.generator}: spend ${spend.spentUsd} is not a non-negative number of dollars`);
  }
  if (!Number.isInteger(spend.accepted) || spend.accepted <= 0) {
    throw new RangeError(`generator ${spend.generator}: ${spend.accepted} accepted instances, so no cost per instance can be measured`);
  }
  return spend.spentUsd / spend.accepted;
}

// Division rounds: 0.3 / 0.1 is 2.9999999999999996, which must still buy 3 instances.
const ROUNDING = 1e-9;

export function budgetShare(budgetUsd: number, spend: GenerationSpend): BudgetShare {
  if (!Number.isFinite(budgetUsd) || budgetUsd < 0) throw new RangeError(`budget ${budgetUsd} is not a non-negative number of dollars`);
  const costPerInstance = costPerAcceptedInstance(spend);
  const affordable = costPerInstance === 0 ? Number.POSITIVE_INFINITY : Math.floor(budgetUsd / costPerInstance + ROUNDING);
  const prefixSize = Math.min(affordable, spend.accepted);
  return {
    generator: spend.generator,
    costPerInstance,
    affordable,
    prefixSize,
    limitedByData: affordable > spend.accepted,
    prefixCostUsd: prefixSize * costPerInstance,
  };
}

/** Every generator's share of the same budget, in the order given. */
export function fixedBudget(budgetUsd: number, spends: readonly GenerationSpend[]): BudgetShare[] {
  return spends.map((s) => budgetShare(budgetUsd, s));
}
