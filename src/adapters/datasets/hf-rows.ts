import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { matchesFilters, type RowFilter } from './field-map.js';
import { HfError, type HttpOptions } from './hf-http.js';
import { readParquetRows, resolveParquet } from './hf-parquet.js';
import { readRowsPages } from './hf-rows-pages.js';
import { contentDigest, readSourceRecord, recordMatchesPin, recordPath, writeSourceRecord, type SourceRecord } from './hf-source-record.js';
import { hfCacheDir } from './paths.js';
import { jsonlRows } from './row-file.js';
import { writeFileAtomic } from '../write-atomic.js';

export const DEFAULT_HF_ENDPOINT = 'https://datasets-server.huggingface.co';
export const DEFAULT_HF_HUB_ENDPOINT = 'https://huggingface.co';

export interface HfDatasetRef {
  readonly dataset: string;
  /** Looked up when absent (the only config with the split, or `default`). */
  readonly config?: string;
  readonly split: string;
  /** A commit sha, branch or tag. Absent: the revision recorded by the last fetch, else the current one. */
  readonly revision?: string;
}

export interface HfFetchOptions {
  /** datasets-server, for the /rows fallback. Default: env AGORA_HF_ENDPOINT, else https://datasets-server.huggingface.co */
  readonly endpoint?: string;
  /** The Hub. Default: env AGORA_HF_HUB_ENDPOINT, else HF_ENDPOINT, else https://huggingface.co */
  readonly hubEndpoint?: string;
  /** Default: env HF_TOKEN (gated sets such as LIMA need one). */
  readonly token?: string;
  /** Default: env AGORA_CACHE_DIR + "/hf", else .cache/agora/hf */
  readonly cacheDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly filter?: RowFilter | readonly RowFilter[];
  /** Stop once this many rows passed the filter. */
  readonly limit?: number;
  /** Download again even when cached, at the source's pin or else the current revision. */
  readonly refresh?: boolean;
  /**
   * Never touch the network: a set that is not cached is an error at once. Runs use this, so
   * that starting a sweep never waits on a download; `agora seeds fetch` downloads.
   */
  readonly offline?: boolean;
  readonly signal?: AbortSignal;
  readonly retries?: number;
  readonly retryBaseMs?: number;
  readonly onProgress?: (p: { readonly offset: number; readonly kept: number; readonly total: number | undefined }) => void;
}

export interface HfRowsResult {
  readonly rows: unknown[];
  readonly cachePath: string;
  readonly fromCache: boolean;
  /** Rows datasets-server served only with truncated cells (the /rows fallback), left out. */
  readonly skippedTruncated: number;
  /** Where the rows came from; undefined for a cache written without a record (an older agora). */
  readonly source?: SourceRecord;
  /** The revision the cache held before a refresh that read another one. */
  readonly previousRevision?: string;
}

/**
 * Rows of one split, filtered and cut to `limit`, cached as JSON Lines (written whole or not
 * at all) with a record of the revision they were read at. The rows are read from the split's
 * parquet files at a pinned commit of the Hub (the repository's own files, else datasets-
 * server's conversion); only a dataset with no parquet at all is paged through /rows. A later
 * call reads the cache and makes no request.
 */
export async function fetchHfRows(ref: HfDatasetRef, opts: HfFetchOptions = {}): Promise<HfRowsResult> {
  const cachePath = hfCachePath(ref, opts);
  const record = await readSourceRecord(cachePath);
  if (!opts.refresh && existsSync(cachePath)) {
    const text = await readFile(cachePath, 'utf8');
    const source = record?.sha256 === contentDigest(text) ? record : undefined;
    if (!ref.revision || (source && recordMatchesPin(source, ref.revision))) {
      return { rows: jsonlRows(cachePath, text).map((r) => r.row), cachePath, fromCache: true, skippedTruncated: 0, source };
    }
    if (opts.offline)
      throw new HfError('network', `${label(ref)}: the cached rows (${cachePath}) are not of the pinned revision ${ref.revision}; fetch them again`);
  }
  if (opts.offline)
    throw new HfError(
      'network',
      `${ref.dataset} (${ref.split}) is not downloaded yet (looked for ${cachePath}; runs never download, \`agora seeds fetch --config FILE\` does)`,
    );
  const http = httpOptions(opts);
  // The lock: without a pin of its own, a fetch that is not a refresh reads the recorded commit.
  const locked = !ref.revision && !opts.refresh ? record?.revision : undefined;
  const requested = ref.revision ?? locked;
  const kept: unknown[] = [];
  let read = 0;
  const keep = (rows: unknown[]): boolean => {
    for (const row of rows) if (matchesFilters(row, opts.filter) && (opts.limit === undefined || kept.length < opts.limit)) kept.push(row);
    read += rows.length;
    opts.onProgress?.({ offset: read, kept: kept.length, total: undefined });
    return opts.limit === undefined || kept.length < opts.limit;
  };
  const found = await resolveParquet(http, ref.dataset, ref.config, ref.split, requested).catch((e: unknown) => {
    if (locked && e instanceof HfError) e.message += ` (the revision recorded in ${recordPath(cachePath)}; --refresh reads the current one)`;
    throw e;
  });
  let skippedTruncated = 0;
  let from: Omit<SourceRecord, 'rows' | 'sha256' | 'fetchedAt'>;
  const base = { dataset: ref.dataset, split: ref.split, ...(ref.revision && { requested: ref.revision }) };
  if (found.via === 'none') {
    ({ skippedTruncated } = await readRowsPages(http, ref, keep));
    from = { ...base, ...(ref.config && { config: ref.config }), revision: found.currentRevision, via: 'rows', files: [], partial: false };
  } else {
    await readParquetRows(http, ref.dataset, found, keep);
    const { revision, via, config, files, partial, sourceRevision } = found;
    from = { ...base, config, revision, via, files: [...files], partial, ...(sourceRevision && { sourceRevision }) };
  }
  const text = kept.map((r) => JSON.stringify(r)).join('\n') + (kept.length ? '\n' : '');
  await writeFileAtomic(cachePath, text);
  const source: SourceRecord = { ...from, rows: kept.length, sha256: contentDigest(text), fetchedAt: new Date().toISOString() };
  await writeSourceRecord(cachePath, source);
  const previousRevision = record && record.revision !== source.revision ? record.revision : undefined;
  return { rows: kept, cachePath, fromCache: false, skippedTruncated, source, ...(previousRevision && { previousRevision }) };
}

/** <cache>/<owner__name>/<config>/<split>[.<hash of filter+limit>].jsonl; its record beside it. */
export function hfCachePath(ref: HfDatasetRef, opts: Pick<HfFetchOptions, 'cacheDir' | 'env' | 'filter' | 'limit'> = {}): string {
  const dir = opts.cacheDir ?? hfCacheDir(opts.env ?? process.env);
  const variant =
    opts.filter !== undefined || opts.limit !== undefined
      ? `.${createHash('sha256')
          .update(JSON.stringify([opts.filter ?? null, opts.limit ?? null]))
          .digest('hex')
          .slice(0, 10)}`
      : '';
  return path.join(dir, safe(ref.dataset.replace('/', '__')), safe(ref.config ?? '_default'), `${safe(ref.split)}${variant}.jsonl`);
}

function httpOptions(opts: HfFetchOptions): HttpOptions {
  const env = opts.env ?? process.env;
  const trim = (u: string) => u.replace(/\/+$/, '');
  return {
    endpoint: trim(opts.endpoint ?? (env['AGORA_HF_ENDPOINT'] || DEFAULT_HF_ENDPOINT)),
    hubEndpoint: trim(opts.hubEndpoint ?? (env['AGORA_HF_HUB_ENDPOINT'] || env['HF_ENDPOINT'] || DEFAULT_HF_HUB_ENDPOINT)),
    token: opts.token ?? (env['HF_TOKEN'] || undefined),
    signal: opts.signal,
    retries: opts.retries ?? 4,
    retryBaseMs: opts.retryBaseMs ?? 1000,
  };
}

function label(ref: HfDatasetRef): string {
  return `hf:${ref.dataset}${ref.config ? `/${ref.config}` : ''}/${ref.split}`;
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}
