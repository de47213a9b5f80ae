import type { PgrValue } from '../snapshot.js';

/**
 * Performance Gap Recovered for one benchmark (the paper's definition):
 * 100 * (student - base) / (reference - base). Undefined scores and a zero gap give a reason
 * instead of a number, never NaN or Infinity.
 */
export function pgr(student: number | undefined, base: number | undefined, ref: number | undefined): PgrValue {
  if (student === undefined || !Number.isFinite(student)) return { reason: 'no student score' };
  if (base === undefined || !Number.isFinite(base)) return { reason: 'no base-model score' };
  if (ref === undefined || !Number.isFinite(ref)) return { reason: 'no reference-model score' };
  const gap = ref - base;
  if (gap === 0) return { reason: 'reference and base scores are equal (zero denominator)' };
  return { value: (100 * (student - base)) / gap };
}

/** Mean of PGR values; a missing one makes the mean missing too, naming why. */
export function meanPgr(values: readonly PgrValue[]): PgrValue {
  if (values.length === 0) return { reason: 'nothing to average' };
  let sum = 0;
  for (const v of values) {
    if ('reason' in v) return { reason: v.reason };
    sum += v.value;
  }
  return { value: sum / values.length };
}

/** A domain's PGR: the mean over its two benchmarks. */
export function domainPgr(a: PgrValue, b: PgrValue): PgrValue {
  return meanPgr([a, b]);
}

/** A method's average PGR: the mean over the three domains. */
export function methodAveragePgr(domains: readonly PgrValue[]): PgrValue {
  return meanPgr(domains);
}
