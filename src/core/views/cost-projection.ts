import type { CellSnapshot, GeneratorSnapshot, RunSnapshot } from '../snapshot.js';

/**
 * Where a projection's cost per instance came from: the generator's own accepted instances,
 * another generator's rate scaled by token price, or nothing yet.
 */
export type ProjectionBasis = 'measured' | 'price-scaled' | 'none';

export interface GeneratorProjection {
  readonly generatorId: string;
  /** From the budget ledger (API spending). */
  readonly spentUsd: number;
  readonly reservedUsd: number;
  readonly capUsd?: number;
  readonly accepted: number;
  /** Instances still to generate over its unfinished cells. */
  readonly remainingInstances: number;
  /** API cost per accepted instance so far. */
  readonly costPerInstance?: number;
  readonly basis: ProjectionBasis;
  /** API cost still to come; undefined when there is no basis. */
  readonly remainingUsd?: number;
  /** spent + remaining; undefined when there is no basis. */
  readonly projectedUsd?: number;
  readonly gpuUsd: number;
  readonly remainingGpuUsd?: number;
}

export interface SweepProjection {
  readonly byGenerator: readonly GeneratorProjection[];
  /** 'measured' once any instance has been paid for; 'planned' falls back to `agora plan`. */
  readonly basis: 'measured' | 'planned' | 'none';
  /** Projected API cost of the whole sweep. */
  readonly projectedUsd?: number;
  /** API cost per accepted instance over the run so far. */
  readonly costPerInstance?: number;
  readonly gpuUsd: number;
  readonly remainingGpuUsd?: number;
}

/** Rough price index of a generator: what one input plus one output token costs. */
function priceIndex(g: GeneratorSnapshot): number {
  return g.price.input + g.price.output;
}

function remainingInstances(cells: readonly CellSnapshot[]): number {
  let n = 0;
  for (const c of cells) {
    // A dropped seed item will never be made: it is not work left.
    if (c.stage === 'generate' && c.state !== 'done') n += Math.max(0, c.target - c.accepted - (c.dropped ?? 0));
  }
  return n;
}

/** Mean GPU cost of the cells that have finished training, times the cells that have not. */
function gpuOutlook(cells: readonly CellSnapshot[]): { spent: number; remaining?: number } {
  let spent = 0;
  let trainedCost = 0;
  let trained = 0;
  let untrained = 0;
  for (const c of cells) {
    spent += c.gpuCostUsd;
    const pastTrain = c.stage === 'evaluate' || c.stage === 'score';
    if (pastTrain && c.gpuCostUsd > 0) {
      trainedCost += c.gpuCostUsd;
      trained += 1;
    } else if (!pastTrain) {
      untrained += 1;
    }
  }
  if (trained === 0) return { spent };
  return { spent, remaining: (trainedCost / trained) * untrained };
}

/**
 * Projected cost to finish each generator's cells and the sweep, from the cost per accepted
 * instance so far. A generator with nothing accepted yet borrows the run's rate per unit of
 * token price; before any spending the sweep falls back to the planned estimate.
 */
export function projectCosts(run: RunSnapshot): SweepProjection {
  const cellsByGen = new Map<string, CellSnapshot[]>();
  for (const c of run.cells) {
    const list = cellsByGen.get(c.generator);
    if (list) list.push(c);
    else cellsByGen.set(c.generator, [c]);
  }

  let totalCost = 0;
  let totalAccepted = 0;
  let weightedAccepted = 0;
  for (const g of run.generators) {
    for (const c of cellsByGen.get(g.id) ?? []) {
      totalCost += c.costUsd;
      totalAccepted += c.accepted;
      weightedAccepted += c.accepted * priceIndex(g);
    }
  }
  const costPerPriceUnit = weightedAccepted > 0 && totalCost > 0 ? totalCost / weightedAccepted : undefined;

  const byGenerator = run.generators.map((g): GeneratorProjection => {
    const cells = cellsByGen.get(g.id) ?? [];
    const cost = cells.reduce((s, c) => s + c.costUsd, 0);
    const accepted = cells.reduce((s, c) => s + c.accepted, 0);
    const remaining = remainingInstances(cells);
    let costPerInstance: number | undefined;
    let basis: ProjectionBasis = 'none';
    if (accepted > 0 && cost > 0) {
      costPerInstance = cost / accepted;
      basis = 'measured';
    } else if (costPerPriceUnit !== undefined) {
      costPerInstance = costPerPriceUnit * priceIndex(g);
      basis = 'price-scaled';
    } else if (remaining === 0) {
      basis = 'measured';
    }
    const remainingUsd = costPerInstance !== undefined ? remaining * costPerInstance : basis === 'measured' ? 0 : undefined;
    const gpu = gpuOutlook(cells);
    return {
      generatorId: g.id,
      spentUsd: g.spentUsd,
      reservedUsd: g.reservedUsd,
      ...(g.capUsd !== undefined ? { capUsd: g.capUsd } : {}),
      accepted,
      remainingInstances: remaining,
      ...(costPerInstance !== undefined ? { costPerInstance } : {}),
      basis,
      ...(remainingUsd !== undefined ? { remainingUsd, projectedUsd: g.spentUsd + remainingUsd } : {}),
      gpuUsd: gpu.spent,
      ...(gpu.remaining !== undefined ? { remainingGpuUsd: gpu.remaining } : {}),
    };
  });

  const gpu = gpuOutlook(run.cells);
  const gpuPart = { gpuUsd: gpu.spent, ...(gpu.remaining !== undefined ? { remainingGpuUsd: gpu.remaining } : {}) };
  if (costPerPriceUnit !== undefined && byGenerator.every((p) => p.projectedUsd !== undefined)) {
    const remaining = byGenerator.reduce((s, p) => s + (p.remainingUsd ?? 0), 0);
    return {
      byGenerator,
      basis: 'measured',
      projectedUsd: run.spentUsd + remaining,
      costPerInstance: totalCost / totalAccepted,
      ...gpuPart,
    };
  }
  if (run.plannedUsd) return { byGenerator, basis: 'planned', projectedUsd: run.plannedUsd.expected, ...gpuPart };
  return { byGenerator, basis: 'none', ...gpuPart };
}
