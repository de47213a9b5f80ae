import { existsSync } from 'node:fs';
import path from 'node:path';
import { hfCacheDir, sharedDataDir } from '../datasets/paths.js';
import type { BenchmarkId } from '../../core/setting.js';

export type MathVariant = 'math500' | 'full';
export type MbppVariant = 'evalplus' | 'original';

/**
 * Where each benchmark's files sit inside a data folder: the layout of ../shared/data, plus the
 * files it lacks (the full MATH test set, EvalPlus' HumanEval+ and MBPP+). `agora benchmarks
 * fetch` writes the same layout under the cache, so every folder is read the same way.
 */
export const BENCHMARK_LAYOUT = {
  gsm8k: 'gsm8k/test.jsonl',
  math500: 'math/math500_test.jsonl',
  mathFull: 'math/math_test.jsonl',
  mbppPlus: 'mbpp/MbppPlus.jsonl',
  mbppOriginal: 'mbpp/mbpp.jsonl',
  humaneval: 'humaneval/HumanEval.jsonl',
  humanevalPlus: 'humaneval/HumanEvalPlus.jsonl',
  alpaca_eval: 'alpaca_eval/gpt4_1106_preview_model_outputs.json',
  arena_questions: 'arena_hard/question.jsonl',
  arena_baseline: 'arena_hard/gpt-4-0314.jsonl',
} as const;

export type LayoutKey = keyof typeof BENCHMARK_LAYOUT;

export interface BenchmarkLookup {
  /** evaluate.benchmarks.<id>.dataFile / baselineFile (absolute): used as given. */
  readonly dataFile?: string;
  readonly baselineFile?: string;
  /** Folders searched in order: evaluate.dataDir, ../shared/data, the cache's benchmarks/. */
  readonly folders: readonly string[];
  readonly math: MathVariant;
  readonly mbpp: MbppVariant;
}

export interface BenchmarkFiles {
  readonly dataFile: string;
  /** Arena-Hard's gpt-4-0314 answers. */
  readonly baselineFile?: string;
  /** HumanEval+'s tests, reported beside the base score when present. */
  readonly plusFile?: string;
  /** MBPP: which task set dataFile holds. */
  readonly mbpp?: MbppVariant;
}

export type LocatedBenchmark = { readonly files: BenchmarkFiles } | { readonly missing: string };

/** The cache's benchmark folder: $AGORA_CACHE_DIR (or the project's .cache/agora) + /benchmarks, or evaluate.cacheDir + /benchmarks. */
export function benchmarkCacheDir(env: Readonly<Record<string, string | undefined>> = process.env, cacheDir?: string | undefined): string {
  return path.join(cacheDir ?? path.dirname(hfCacheDir(env)), 'benchmarks');
}

/** The default search order for a config: its data folder, ../shared/data, the cache. */
export function benchmarkFolders(opts: {
  dataDir?: string | undefined;
  cacheDir?: string | undefined;
  env?: Readonly<Record<string, string | undefined>> | undefined;
}): string[] {
  return [...(opts.dataDir ? [opts.dataDir] : []), sharedDataDir(), benchmarkCacheDir(opts.env, opts.cacheDir)];
}

const NAMES: Readonly<Record<BenchmarkId, string>> = {
  gsm8k: 'GSM8K',
  math: 'MATH',
  mbpp: 'MBPP',
  humaneval: 'HumanEval',
  alpaca_eval: 'AlpacaEval 2.0',
  arena_hard: 'Arena-Hard',
};

function find(folders: readonly string[], key: LayoutKey): string | undefined {
  for (const dir of folders) {
    const file = path.join(dir, BENCHMARK_LAYOUT[key]);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** The main layout file a benchmark needs, as configured (MATH and MBPP have variants). */
export function requiredKey(id: BenchmarkId, l: Pick<BenchmarkLookup, 'math' | 'mbpp'>): LayoutKey {
  switch (id) {
    case 'math':
      return l.math === 'full' ? 'mathFull' : 'math500';
    case 'mbpp':
      return l.mbpp === 'evalplus' ? 'mbppPlus' : 'mbppOriginal';
    case 'arena_hard':
      return 'arena_questions';
    default:
      return id;
  }
}

/**
 * Finds a benchmark's files on disk, never downloading (cheap enough to ask on every conductor
 * tick). When they are not at hand, says where it looked and which command fetches them.
 */
export function locateBenchmark(id: BenchmarkId, l: BenchmarkLookup): LocatedBenchmark {
  const key = requiredKey(id, l);
  const mbpp = id === 'mbpp' ? { mbpp: l.mbpp } : {};
  if (l.dataFile) {
    if (!existsSync(l.dataFile)) return { missing: `${NAMES[id]}: evaluate.benchmarks.${id}.dataFile ${l.dataFile} does not exist` };
    if (id !== 'arena_hard') return { files: { dataFile: l.dataFile, ...mbpp, ...(id === 'humaneval' && plus(l.folders)) } };
    const baselineFile =
      l.baselineFile ??
      [path.join(path.dirname(l.dataFile), 'gpt-4-0314.jsonl'), path.join(path.dirname(l.dataFile), 'model_answer', 'gpt-4-0314.jsonl')].find((f) =>
        existsSync(f),
      );
    if (!baselineFile)
      return {
        missing: `Arena-Hard: no gpt-4-0314.jsonl baseline answers next to ${l.dataFile} or under model_answer/; set evaluate.benchmarks.arena_hard.baselineFile`,
      };
    return { files: { dataFile: l.dataFile, baselineFile } };
  }
  const dataFile = find(l.folders, key);
  const baselineFile = id === 'arena_hard' ? find(l.folders, 'arena_baseline') : undefined;
  if (!dataFile || (id === 'arena_hard' && !baselineFile)) {
    const wanted = id === 'arena_hard' ? `${BENCHMARK_LAYOUT.arena_questions} and ${BENCHMARK_LAYOUT.arena_baseline}` : BENCHMARK_LAYOUT[key];
    const variant =
      id === 'mbpp' && l.mbpp === 'evalplus'
        ? ' (or set evaluate.mbpp: original for the 500-task MBPP test split)'
        : id === 'math' && l.math === 'full'
          ? ' (or set evaluate.math: math500)'
          : '';
    return {
      missing: `${NAMES[id]} is not at hand (no ${wanted} in ${l.folders.join(', ')}): run \`agora benchmarks fetch\`, or set evaluate.dataDir${variant}`,
    };
  }
  return { files: { dataFile, ...(baselineFile && { baselineFile }), ...mbpp, ...(id === 'humaneval' && plus(l.folders)) } };
}

function plus(folders: readonly string[]): { plusFile?: string } {
  const f = find(folders, 'humanevalPlus');
  return f ? { plusFile: f } : {};
}
