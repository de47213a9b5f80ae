import type { EvaluateSettings } from './run-config.js';
import type { BenchmarkId } from './setting.js';

/**
 * Items per benchmark as evaluation asks them (the README's table): the plan counts them
 * without reading the files, which hold exactly these records (fetches are pinned by count).
 */
function fullCount(benchmark: BenchmarkId, e: Pick<EvaluateSettings, 'math' | 'mbpp'>): number {
  switch (benchmark) {
    case 'gsm8k':
      return 1319;
    case 'math':
      return e.math === 'math500' ? 500 : 5000;
    case 'mbpp':
      return e.mbpp === 'original' ? 500 : 378;
    case 'humaneval':
      return 164;
    case 'alpaca_eval':
      return 805;
    case 'arena_hard':
      return 500;
  }
}

/** Items a subject is asked on the benchmark: the whole set, or its first `limit`. */
export function plannedItems(benchmark: BenchmarkId, e: Pick<EvaluateSettings, 'math' | 'mbpp' | 'benchmarks'>): number {
  const n = fullCount(benchmark, e);
  const limit = e.benchmarks[benchmark]?.limit;
  return limit !== undefined ? Math.min(n, limit) : n;
}
