import { deriveSeed, mulberry32 } from '../prompts/rng.js';

/** What a cell's metric sample is drawn by: the run's seed and the cell. */
export interface SampleKey {
  readonly seed: number;
  readonly generator: string;
  readonly setting: string;
}

/** A uniform number in [0, 1) fixed by the key and the instance alone (never by the other instances). */
function rank(key: SampleKey, instanceId: number): number {
  return mulberry32(deriveSeed('metrics-sample', key.seed, key.generator, key.setting, instanceId))();
}

/**
 * The instances a cell's metrics are computed on: the `size` with the lowest rank, a number each
 * instance draws from (seed, cell, its id). A uniform sample, the same on every resume and in any
 * input order; instances added later never reorder the earlier ones, so an earlier instance is in
 * the larger set's sample only if it was in the smaller set's. Returned in rank order.
 */
export function metricSample(instanceIds: readonly number[], size: number, key: SampleKey): number[] {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`a sample size is a whole number >= 0, got ${size}`);
  const ranked = [...new Set(instanceIds)].map((id) => ({ id, r: rank(key, id) }));
  ranked.sort((a, b) => a.r - b.r || a.id - b.id);
  return ranked.slice(0, size).map((x) => x.id);
}
