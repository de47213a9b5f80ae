import { existsSync } from 'node:fs';
import path from 'node:path';
import { fetchHfRows, hfCachePath } from '../datasets/hf-rows.js';
import { describeRevision, readSourceRecordSync } from '../datasets/hf-source-record.js';
import { BENCHMARK_LAYOUT, type LayoutKey } from './benchmark-files.js';
import { writeFileAtomic } from '../write-atomic.js';
import { DEFAULT_GITHUB_RAW_ENDPOINT, DownloadError, fetchText, toJsonLines } from './download.js';
import { parseRecords } from './record-reader.js';

/** A file at a fixed commit of a GitHub repository: the same bytes on every machine. */
interface GithubSource {
  readonly kind: 'github';
  readonly repo: string;
  readonly commit: string;
  readonly path: string;
  /** Keep only records whose unique_id starts with this (the MATH test problems inside PRM800K's train file). */
  readonly idPrefix?: string;
}

/**
 * A Hugging Face split, read from its parquet files at a commit through the datasets adapter.
 * Without a `revision` here (the commits the paper's harness used are not known), the first
 * fetch records the commit it read and later fetches keep it until --refresh; the row count of
 * the version the paper used is checked either way, and a set that changed size is refused.
 */
interface HfSource {
  readonly kind: 'hf';
  readonly dataset: string;
  readonly config?: string;
  readonly split: string;
  /** A commit sha of the dataset: set it only to a commit known to hold the paper's version. */
  readonly revision?: string;
}

export interface BenchmarkSource {
  readonly key: LayoutKey;
  readonly name: string;
  readonly parts: readonly (GithubSource | HfSource)[];
  readonly count: number;
}

const PRM800K = { repo: 'openai/prm800k', commit: '00811d6de065642a6967b9017d4cee59550c0ef4' } as const;

/** Everything `agora benchmarks fetch` downloads, in the data-folder layout. */
export const BENCHMARK_SOURCES: readonly BenchmarkSource[] = [
  {
    key: 'gsm8k',
    name: 'GSM8K test',
    count: 1319,
    parts: [
      { kind: 'github', repo: 'openai/grade-school-math', commit: 'b52325ad96ea38979fdc222e881ff5d105f95295', path: 'grade_school_math/data/test.jsonl' },
    ],
  },
  { key: 'math500', name: 'MATH-500', count: 500, parts: [{ kind: 'github', ...PRM800K, path: 'prm800k/math_splits/test.jsonl' }] },
  // PRM800K's train file holds the other 4,500 MATH test problems (its split is 12,000 / 500).
  {
    key: 'mathFull',
    name: 'MATH test (5,000)',
    count: 5000,
    parts: [
      { kind: 'github', ...PRM800K, path: 'prm800k/math_splits/test.jsonl' },
      { kind: 'github', ...PRM800K, path: 'prm800k/math_splits/train.jsonl', idPrefix: 'test/' },
    ],
  },
  { key: 'humaneval', name: 'HumanEval', count: 164, parts: [{ kind: 'hf', dataset: 'openai/openai_humaneval', config: 'openai_humaneval', split: 'test' }] },
  { key: 'humanevalPlus', name: 'HumanEval+ (EvalPlus)', count: 164, parts: [{ kind: 'hf', dataset: 'evalplus/humanevalplus', split: 'test' }] },
  { key: 'mbppPlus', name: 'MBPP+ (EvalPlus)', count: 378, parts: [{ kind: 'hf', dataset: 'evalplus/mbppplus', split: 'test' }] },
  {
    key: 'alpaca_eval',
    name: 'AlpacaEval 2.0 reference outputs',
    count: 805,
    parts: [
      {
        kind: 'github',
        repo: 'tatsu-lab/alpaca_eval',
        commit: '34e01fac2c393593366f2f62abd88507e00d6399',
        path: 'results/gpt4_1106_preview/model_outputs.json',
      },
    ],
  },
  {
    key: 'arena_questions',
    name: 'Arena-Hard v0.1 questions',
    count: 500,
    parts: [
      { kind: 'github', repo: 'lmarena/arena-hard-auto', commit: '6c82720015d5da7b8795b809b91f63ef74abbf6a', path: 'data/arena-hard-v0.1/question.jsonl' },
    ],
  },
  {
    key: 'arena_baseline',
    name: 'Arena-Hard v0.1 gpt-4-0314 answers',
    count: 500,
    parts: [
      {
        kind: 'github',
        repo: 'lmarena/arena-hard-auto',
        commit: 'e0a8ea1df42c1df76451a6cd04b14e31ff992b87',
        path: 'data/arena-hard-v0.1/model_answer/gpt-4-0314.jsonl',
      },
    ],
  },
];

export interface FetchBenchmarkOptions {
  readonly benchmarksDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly refresh?: boolean;
  readonly retries?: number;
}

export type FetchOutcome = {
  readonly file: string;
  readonly rows: number;
  readonly fromCache: boolean;
  /** Where each Hugging Face part was read ("hf openai/openai_humaneval: parquet at 0123456789"), and a revision that changed on --refresh. */
  readonly revisions?: readonly string[];
};

async function partRows(part: GithubSource | HfSource, opts: FetchBenchmarkOptions, revisions: string[]): Promise<unknown[]> {
  const env = opts.env ?? process.env;
  if (part.kind === 'hf') {
    // Rows pass through the datasets adapter's own cache; a row served truncated would grade wrongly.
    const r = await fetchHfRows(part, { env, refresh: opts.refresh, retries: opts.retries });
    if (r.skippedTruncated > 0) throw new DownloadError(`${part.dataset}: ${r.skippedTruncated} rows were served truncated`);
    const changed = r.previousRevision ? `; revision changed from ${r.previousRevision.slice(0, 10)}` : '';
    revisions.push(`hf ${part.dataset}: ${r.source ? describeRevision(r.source) : 'revision not recorded'}${changed}`);
    return r.rows;
  }
  const raw = (env.AGORA_GITHUB_RAW_ENDPOINT ?? DEFAULT_GITHUB_RAW_ENDPOINT).replace(/\/+$/, '');
  const url = `${raw}/${part.repo}/${part.commit}/${part.path}`;
  const rows = parseRecords(await fetchText(url), url).map((r) => r.value);
  return part.idPrefix ? rows.filter((r) => typeof r.unique_id === 'string' && r.unique_id.startsWith(part.idPrefix!)) : rows;
}

/** Downloads one benchmark file into the layout, unless it is there already; the file is whole or absent. */
export async function fetchBenchmark(source: BenchmarkSource, opts: FetchBenchmarkOptions): Promise<FetchOutcome> {
  const file = path.join(opts.benchmarksDir, BENCHMARK_LAYOUT[source.key]);
  if (!opts.refresh && existsSync(file)) {
    // What the Hugging Face parts were read at, from the records beside their cached rows.
    const env = opts.env ?? process.env;
    const revisions = source.parts.flatMap((p) => {
      const r = p.kind === 'hf' ? readSourceRecordSync(hfCachePath(p, { env })) : undefined;
      return r ? [`hf ${r.dataset}: ${describeRevision(r)}`] : [];
    });
    return { file, rows: -1, fromCache: true, ...(revisions.length && { revisions }) };
  }
  const rows: unknown[] = [];
  const revisions: string[] = [];
  for (const part of source.parts) rows.push(...(await partRows(part, opts, revisions)));
  if (rows.length !== source.count) throw new DownloadError(`${source.name}: got ${rows.length} records, the pinned version has ${source.count}`);
  const asArray = file.endsWith('.json');
  await writeFileAtomic(file, asArray ? JSON.stringify(rows) : toJsonLines(rows as Record<string, unknown>[]));
  return { file, rows: rows.length, fromCache: false, ...(revisions.length && { revisions }) };
}

export function describeSource(s: BenchmarkSource): string {
  return s.parts
    .map((p) =>
      p.kind === 'github'
        ? `github ${p.repo}@${p.commit.slice(0, 10)} ${p.path}`
        : `hf ${p.dataset}${p.config ? `/${p.config}` : ''}/${p.split}${p.revision ? `@${p.revision.slice(0, 10)}` : ''}`,
    )
    .join(' + ');
}
