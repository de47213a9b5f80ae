import type { PgrValue } from '../snapshot.js';

/**
 * Bounds of a PGR that can still be read as "share of the base-to-reference gap recovered".
 * A student may pass the reference (the paper's students sometimes do, by a few points on one
 * benchmark), so values a little over 100 are normal; beyond 150 the student beat the reference
 * by more than half the gap, which in practice means the gap is small (a few points of harness
 * noise divided by a few points) or the reference was measured elsewhere (the stand-in
 * run showed 438 and 618). Symmetrically, below -50 the student lost more than half the gap
 * below its own base model, which points at a broken training or serving setup (a chat
 * template, a truncated checkpoint) rather than at the data. The paper's Table 2 method
 * averages (-4.1 to 46.8) sit well inside these bounds.
 */
export const PGR_FLAG_HIGH = 150;
export const PGR_FLAG_LOW = -50;

const one = (n: number) => n.toFixed(1);

/**
 * Why a benchmark's PGR cannot be read as recovery, or undefined when it can. `label` names the
 * benchmark in the reason (`GSM8K: ...`).
 */
export function benchmarkPgrFlag(pgr: number, base: number, ref: number, label: string): string | undefined {
  const gap = ref - base;
  if (gap <= 0) return `${label}: the base model (${one(base)}) scores at or above the reference (${one(ref)}), so there is no gap to recover`;
  if (pgr > PGR_FLAG_HIGH) return `${label}: PGR ${one(pgr)} is above ${PGR_FLAG_HIGH} (the base-reference gap is only ${one(gap)} points)`;
  if (pgr < PGR_FLAG_LOW) return `${label}: PGR ${one(pgr)} is below ${PGR_FLAG_LOW} (the student fell far below the base model; gap ${one(gap)} points)`;
  return undefined;
}

/** The value with its flag attached (or unchanged when there is none). */
export function withFlag(v: PgrValue, flag: string | undefined): PgrValue {
  return flag === undefined || !('value' in v) ? v : { value: v.value, flag };
}

/** The flags of the parts, joined, for a mean over them (a domain over its two benchmarks). */
export function joinedFlags(parts: readonly PgrValue[]): string | undefined {
  const flags = parts.flatMap((p) => ('flag' in p && p.flag ? [p.flag] : []));
  return flags.length > 0 ? flags.join('; ') : undefined;
}

/** For an average shown beside its parts (a method over domains): which parts are flagged, given each part's flag. */
export function averageFlag(flags: readonly (string | undefined)[], names: readonly string[]): string | undefined {
  const flagged = names.filter((_, i) => flags[i] !== undefined);
  return flagged.length > 0 ? `includes a flagged PGR: ${flagged.join(', ')}` : undefined;
}
