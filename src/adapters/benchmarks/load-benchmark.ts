import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { BenchmarkItem } from '../../core/grade/types.js';
import type { BenchmarkId } from '../../core/setting.js';
import {
  alpacaEvalItems,
  arenaHardItems,
  gsm8kItems,
  humanEvalItems,
  mathItems,
  mbppItems,
} from './benchmark-records.js';
import { DEFAULT_GITHUB_RAW_ENDPOINT, DEFAULT_HF_ENDPOINT, fetchHfRows, fetchText, toJsonLines, writeFileAtomic, type FetchImpl } from './download.js';
import { DataFileError, readRecords } from './record-reader.js';

export type MathVariant = 'math500' | 'full';

export interface LoadOptions {
  /** A local file in the benchmark's public format; without it the set is downloaded to the cache. */
  readonly dataFile?: string;
  /** Arena-Hard's gpt-4-0314 answers; default: next to `dataFile` or under `model_answer/`. */
  readonly baselineFile?: string;
  /** MATH-500 (default) or the full 5,000-problem test set. */
  readonly mathVariant?: MathVariant;
  readonly cacheDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly fetchImpl?: FetchImpl;
}

/** The seven MATH subjects of the full test set on the Hub (EleutherAI's parquet copy of hendrycks/math). */
const MATH_SUBJECTS = ['algebra', 'counting_and_probability', 'geometry', 'intermediate_algebra', 'number_theory', 'prealgebra', 'precalculus'];

const HF_ROWS = {
  gsm8k: { dataset: 'openai/gsm8k', config: 'main', split: 'test' },
  math500: { dataset: 'HuggingFaceH4/MATH-500', config: 'default', split: 'test' },
  mbpp: { dataset: 'google-research-datasets/mbpp', config: 'full', split: 'test' },
  humaneval: { dataset: 'openai/openai_humaneval', config: 'openai_humaneval', split: 'test' },
} as const;

const RAW_FILES = {
  alpaca_eval: 'tatsu-lab/alpaca_eval/main/results/gpt4_1106_preview/model_outputs.json',
  arena_questions: 'lmarena/arena-hard-auto/main/data/arena-hard-v0.1/question.jsonl',
  arena_baseline: 'lmarena/arena-hard-auto/main/data/arena-hard-v0.1/model_answer/gpt-4-0314.jsonl',
} as const;

/** Cache file names: the public files' own names, so a cached copy reads like the original. */
export function cachePaths(cacheDir: string) {
  const b = join(cacheDir, 'benchmarks');
  return {
    gsm8k: join(b, 'gsm8k', 'test.jsonl'),
    math500: join(b, 'math', 'math500_test.jsonl'),
    mathFull: join(b, 'math', 'math_test_full.jsonl'),
    mbpp: join(b, 'mbpp', 'mbpp_test.jsonl'),
    humaneval: join(b, 'humaneval', 'HumanEval.jsonl'),
    alpaca_eval: join(b, 'alpaca_eval', 'gpt4_1106_preview_model_outputs.json'),
    arena_questions: join(b, 'arena_hard', 'question.jsonl'),
    arena_baseline: join(b, 'arena_hard', 'gpt-4-0314.jsonl'),
  };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function cached(file: string, download: () => Promise<string>): Promise<string> {
  if (!(await exists(file))) await writeFileAtomic(file, await download());
  return file;
}

/** Where the benchmark's files are, downloading them into the cache first when no local file is given. */
export async function ensureBenchmarkFiles(id: BenchmarkId, opts: LoadOptions = {}): Promise<{ dataFile: string; baselineFile?: string }> {
  const env = opts.env ?? process.env;
  const cacheDir = resolve(opts.cacheDir ?? env.AGORA_CACHE_DIR ?? '.cache/agora');
  const hf = env.AGORA_HF_ENDPOINT ?? DEFAULT_HF_ENDPOINT;
  const raw = (env.AGORA_GITHUB_RAW_ENDPOINT ?? DEFAULT_GITHUB_RAW_ENDPOINT).replace(/\/+$/, '');
  const f = opts.fetchImpl ?? fetch;
  const paths = cachePaths(cacheDir);
  const rows = async (spec: { dataset: string; config: string; split: string }) => toJsonLines(await fetchHfRows(spec, hf, f));

  if (id === 'arena_hard') {
    const dataFile = opts.dataFile ?? (await cached(paths.arena_questions, () => fetchText(`${raw}/${RAW_FILES.arena_questions}`, f)));
    if (opts.baselineFile) return { dataFile, baselineFile: opts.baselineFile };
    if (!opts.dataFile) return { dataFile, baselineFile: await cached(paths.arena_baseline, () => fetchText(`${raw}/${RAW_FILES.arena_baseline}`, f)) };
    for (const candidate of [join(dirname(dataFile), 'gpt-4-0314.jsonl'), join(dirname(dataFile), 'model_answer', 'gpt-4-0314.jsonl')]) {
      if (await exists(candidate)) return { dataFile, baselineFile: candidate };
    }
    throw new DataFileError(`${dataFile}: no gpt-4-0314.jsonl baseline answers next to it or under model_answer/; pass the baseline file`);
  }
  if (opts.dataFile) return { dataFile: opts.dataFile };
  switch (id) {
    case 'gsm8k':
      return { dataFile: await cached(paths.gsm8k, () => rows(HF_ROWS.gsm8k)) };
    case 'math':
      if (opts.mathVariant === 'full') {
        return {
          dataFile: await cached(paths.mathFull, async () => {
            const all: Record<string, unknown>[] = [];
            for (const config of MATH_SUBJECTS) {
              const subjectRows = await fetchHfRows({ dataset: 'EleutherAI/hendrycks_math', config, split: 'test' }, hf, f);
              // The Hub copy has no file names; ids name subject and row instead (`test/algebra/12.json`).
              subjectRows.forEach((r, i) => all.push({ unique_id: `test/${config}/${i}.json`, ...r }));
            }
            return toJsonLines(all);
          }),
        };
      }
      return { dataFile: await cached(paths.math500, () => rows(HF_ROWS.math500)) };
    case 'mbpp':
      return { dataFile: await cached(paths.mbpp, () => rows(HF_ROWS.mbpp)) };
    case 'humaneval':
      return { dataFile: await cached(paths.humaneval, () => rows(HF_ROWS.humaneval)) };
    case 'alpaca_eval':
      return { dataFile: await cached(paths.alpaca_eval, () => fetchText(`${raw}/${RAW_FILES.alpaca_eval}`, f)) };
  }
}

/** Loads a benchmark's items from a local file in its public format, or from the download cache. */
export async function loadBenchmark(id: BenchmarkId, opts: LoadOptions = {}): Promise<BenchmarkItem[]> {
  const files = await ensureBenchmarkFiles(id, opts);
  const records = await readRecords(files.dataFile);
  switch (id) {
    case 'gsm8k':
      return gsm8kItems(records);
    case 'math':
      return mathItems(records);
    case 'mbpp':
      return mbppItems(records);
    case 'humaneval':
      return humanEvalItems(records);
    case 'alpaca_eval':
      return alpacaEvalItems(records);
    case 'arena_hard': {
      const baselineFile = files.baselineFile ?? '';
      return arenaHardItems(records, await readRecords(baselineFile), baselineFile);
    }
  }
}
