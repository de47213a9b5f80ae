import { domainPgr, pgr } from '../grade/pgr.js';
import type { CellScores, PgrValue } from '../snapshot.js';
import { DOMAIN_BENCHMARKS, type BenchmarkId, type Domain } from '../setting.js';
import { BENCHMARK_LABEL } from './labels.js';
import { benchmarkPgrFlag, joinedFlags, withFlag } from './pgr-flags.js';

/** A score, or why there is none (not evaluated yet, not configured). */
export type ScoreOrReason = { readonly value: number } | { readonly reason: string };

/**
 * A cell's scores: the student's raw benchmark scores, PGR per benchmark against the base and
 * reference students, and the domain's PGR (the mean of its two benchmarks). Whatever is
 * missing becomes a reason that names the benchmark, never a zero.
 */
export function computeCellScores(
  domain: Domain,
  student: Partial<Record<BenchmarkId, number>>,
  base: (b: BenchmarkId) => ScoreOrReason,
  reference: (b: BenchmarkId) => ScoreOrReason,
): CellScores {
  const benchmarks: Partial<Record<BenchmarkId, number>> = {};
  const pgrByBenchmark: Partial<Record<BenchmarkId, PgrValue>> = {};
  for (const b of DOMAIN_BENCHMARKS[domain]) {
    const s = student[b];
    if (s !== undefined) benchmarks[b] = s;
    const s0 = base(b);
    const sRef = reference(b);
    let v: PgrValue;
    if (s === undefined) v = { reason: `no student score on ${BENCHMARK_LABEL[b]}` };
    else if ('reason' in s0) v = { reason: s0.reason };
    else if ('reason' in sRef) v = { reason: sRef.reason };
    else {
      v = pgr(s, s0.value, sRef.value);
      if ('reason' in v) v = { reason: `${BENCHMARK_LABEL[b]}: ${v.reason}` };
      else v = withFlag(v, benchmarkPgrFlag(v.value, s0.value, sRef.value, BENCHMARK_LABEL[b]));
    }
    pgrByBenchmark[b] = v;
  }
  const [b1, b2] = DOMAIN_BENCHMARKS[domain];
  const parts = [pgrByBenchmark[b1] ?? { reason: 'missing' }, pgrByBenchmark[b2] ?? { reason: 'missing' }];
  // A domain's PGR is flagged when either benchmark's is: its mean can look ordinary (438 and -300).
  const pgrDomain = withFlag(domainPgr(parts[0]!, parts[1]!), joinedFlags(parts));
  return { benchmarks, pgrByBenchmark, pgr: pgrDomain };
}
