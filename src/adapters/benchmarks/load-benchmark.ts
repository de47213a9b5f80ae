import type { BenchmarkItem } from '../../core/grade/types.js';
import type { BenchmarkId } from '../../core/setting.js';
import { alpacaEvalItems, arenaHardItems, gsm8kItems, humanEvalItems, mathItems, mbppItems } from './benchmark-records.js';
import { benchmarkFolders, locateBenchmark, type MathVariant, type MbppVariant } from './benchmark-files.js';
import { attachHumanEvalPlus, mbppPlusItems } from './evalplus-records.js';
import { readRecords } from './record-reader.js';

export type { MathVariant, MbppVariant } from './benchmark-files.js';

export interface LoadOptions {
  /** A local file in the benchmark's public format; without it the data folders are searched. */
  readonly dataFile?: string;
  /** Arena-Hard's gpt-4-0314 answers; default: next to `dataFile` or under `model_answer/`. */
  readonly baselineFile?: string;
  /** The full 5,000-problem test set (default) or MATH-500. */
  readonly mathVariant?: MathVariant;
  /** EvalPlus' MBPP+ (default) or the original 500-task test split. */
  readonly mbppVariant?: MbppVariant;
  /** A data folder searched first (evaluate.dataDir). */
  readonly dataDir?: string;
  /** The cache root whose benchmarks/ `agora benchmarks fetch` fills; default $AGORA_CACHE_DIR or .cache/agora. */
  readonly cacheDir?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** A benchmark whose files are not on disk; the message names the command that fetches them. */
export class BenchmarkMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchmarkMissingError';
  }
}

/** Loads a benchmark's items from local files (never the network: `agora benchmarks fetch` downloads). */
export async function loadBenchmark(id: BenchmarkId, opts: LoadOptions = {}): Promise<BenchmarkItem[]> {
  const located = locateBenchmark(id, {
    ...(opts.dataFile && { dataFile: opts.dataFile }),
    ...(opts.baselineFile && { baselineFile: opts.baselineFile }),
    folders: benchmarkFolders({ dataDir: opts.dataDir, cacheDir: opts.cacheDir, env: opts.env }),
    math: opts.mathVariant ?? 'full',
    mbpp: opts.mbppVariant ?? 'evalplus',
  });
  if ('missing' in located) throw new BenchmarkMissingError(located.missing);
  const files = located.files;
  const records = await readRecords(files.dataFile);
  switch (id) {
    case 'gsm8k':
      return gsm8kItems(records);
    case 'math':
      return mathItems(records);
    case 'mbpp':
      // A file in EvalPlus' layout (a `test` field beside `test_list`) is MBPP+ whatever its name.
      return records[0]?.value.test !== undefined ? mbppPlusItems(records) : mbppItems(records);
    case 'humaneval': {
      const items = humanEvalItems(records);
      return files.plusFile ? attachHumanEvalPlus(items, await readRecords(files.plusFile)) : items;
    }
    case 'alpaca_eval':
      return alpacaEvalItems(records);
    case 'arena_hard': {
      const baselineFile = files.baselineFile ?? '';
      return arenaHardItems(records, await readRecords(baselineFile), baselineFile);
    }
  }
}
