import path from 'node:path';
import { benchmarkFolders, locateBenchmark, type BenchmarkLookup } from './benchmark-files.js';
import { loadBenchmark } from './load-benchmark.js';
import type { EvaluateConfig } from '../../config/evaluate-schema.js';
import type { BenchmarkItem } from '../../core/grade/types.js';
import type { BenchmarkId } from '../../core/setting.js';

function resolveFrom(baseDir: string, file: string | undefined): string | undefined {
  return file === undefined ? undefined : path.resolve(baseDir, file);
}

/** Where a benchmark is looked for: its configured file, else evaluate.dataDir, ../shared/data and the cache. */
export function benchmarkLookup(
  benchmark: BenchmarkId,
  evaluate: EvaluateConfig,
  opts: { readonly baseDir: string; readonly env?: NodeJS.ProcessEnv },
): BenchmarkLookup {
  const b = evaluate.benchmarks[benchmark];
  const dataFile = resolveFrom(opts.baseDir, b?.dataFile);
  const baselineFile = resolveFrom(opts.baseDir, b?.baselineFile);
  return {
    ...(dataFile && { dataFile }),
    ...(baselineFile && { baselineFile }),
    folders: benchmarkFolders({
      dataDir: resolveFrom(opts.baseDir, evaluate.dataDir),
      cacheDir: resolveFrom(opts.baseDir, evaluate.cacheDir),
      env: opts.env ?? process.env,
    }),
    math: evaluate.math,
    mbpp: evaluate.mbpp,
  };
}

/** Why the benchmarks cannot be read from disk (with the command that fixes it), or undefined when all are at hand. */
export function missingBenchmarks(
  benchmarks: readonly BenchmarkId[],
  evaluate: EvaluateConfig,
  opts: { readonly baseDir: string; readonly env?: NodeJS.ProcessEnv },
): string | undefined {
  const missing = benchmarks.map((b) => locateBenchmark(b, benchmarkLookup(b, evaluate, opts))).flatMap((l) => ('missing' in l ? [l.missing] : []));
  return missing.length > 0 ? missing.join('; ') : undefined;
}

/** The benchmark's items as configured (local files only, MATH and MBPP variant, first `limit`). */
export async function loadBenchmarkItems(
  benchmark: BenchmarkId,
  evaluate: EvaluateConfig,
  opts: { readonly baseDir: string; readonly env?: NodeJS.ProcessEnv },
): Promise<BenchmarkItem[]> {
  const b = evaluate.benchmarks[benchmark];
  const l = benchmarkLookup(benchmark, evaluate, opts);
  const items = await loadBenchmark(benchmark, {
    ...(l.dataFile && { dataFile: l.dataFile }),
    ...(l.baselineFile && { baselineFile: l.baselineFile }),
    dataDir: resolveFrom(opts.baseDir, evaluate.dataDir),
    cacheDir: resolveFrom(opts.baseDir, evaluate.cacheDir),
    mathVariant: evaluate.math,
    mbppVariant: evaluate.mbpp,
    env: opts.env ?? process.env,
  });
  if (items.length === 0) throw new Error(`${benchmark}: the benchmark has no items${l.dataFile ? ` (${l.dataFile})` : ''}`);
  return b?.limit !== undefined ? items.slice(0, b.limit) : items;
}
