import path from 'node:path';
import { loadBenchmark } from '../../adapters/benchmarks/load-benchmark.js';
import type { EvaluateConfig } from '../../config/evaluate-schema.js';
import type { BenchmarkItem } from '../../core/grade/types.js';
import type { BenchmarkId } from '../../core/setting.js';

/**
 * Which items a benchmark's score is over: the data file, the MATH variant and the limit.
 * Stored with every score, so a baseline scored over another item set is not reused.
 */
export function itemSetKey(benchmark: BenchmarkId, evaluate: EvaluateConfig): string {
  const b = evaluate.benchmarks[benchmark];
  return JSON.stringify({
    data: b?.dataFile ?? 'download',
    ...(benchmark === 'math' && { variant: evaluate.math }),
    ...(b?.limit !== undefined && { limit: b.limit }),
  });
}

function resolveFrom(baseDir: string, file: string | undefined): string | undefined {
  return file === undefined ? undefined : path.resolve(baseDir, file);
}

/** The benchmark's items as configured (local file or download, MATH variant, first `limit`). */
export async function loadBenchmarkItems(
  benchmark: BenchmarkId,
  evaluate: EvaluateConfig,
  opts: { readonly baseDir: string; readonly env?: NodeJS.ProcessEnv },
): Promise<BenchmarkItem[]> {
  const b = evaluate.benchmarks[benchmark];
  const dataFile = resolveFrom(opts.baseDir, b?.dataFile);
  const baselineFile = resolveFrom(opts.baseDir, b?.baselineFile);
  const cacheDir = resolveFrom(opts.baseDir, evaluate.cacheDir);
  const items = await loadBenchmark(benchmark, {
    ...(dataFile && { dataFile }),
    ...(baselineFile && { baselineFile }),
    ...(cacheDir && { cacheDir }),
    mathVariant: evaluate.math,
    env: opts.env ?? process.env,
  });
  if (items.length === 0) throw new Error(`${benchmark}: the benchmark has no items${dataFile ? ` (${dataFile})` : ''}`);
  return b?.limit !== undefined ? items.slice(0, b.limit) : items;
}
