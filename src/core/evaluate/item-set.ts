import type { EvaluateSettings } from '../run-config.js';
import type { BenchmarkId } from '../setting.js';

/**
 * Which items a benchmark's score is over: the data file, the MATH and MBPP variants and the
 * limit. Stored with every score, so a baseline scored over another item set is not reused.
 */
export function itemSetKey(benchmark: BenchmarkId, evaluate: EvaluateSettings): string {
  const b = evaluate.benchmarks[benchmark];
  return JSON.stringify({
    data: b?.dataFile ?? 'download',
    ...(benchmark === 'math' && { variant: evaluate.math }),
    ...(benchmark === 'mbpp' && evaluate.mbpp !== 'evalplus' && { variant: evaluate.mbpp }),
    ...(b?.limit !== undefined && { limit: b.limit }),
  });
}
