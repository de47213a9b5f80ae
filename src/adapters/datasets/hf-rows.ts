import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { matchesFilters, type RowFilter } from './field-map.js';
import { hfCacheDir } from './paths.js';
import { jsonlRows } from './row-file.js';
import { getJson, HfError, type HttpOptions } from './hf-http.js';
import { writeFileAtomic } from '../write-atomic.js';

export const DEFAULT_HF_ENDPOINT = 'https://datasets-server.huggingface.co';
/** datasets-server's maximum page length. */
const PAGE = 100;

export interface HfDatasetRef {
  readonly dataset: string;
  /** Looked up with /splits when absent. */
  readonly config?: string;
  readonly split: string;
}

export interface HfFetchOptions {
  /** Default: env AGORA_HF_ENDPOINT, else https://datasets-server.huggingface.co */
  readonly endpoint?: string;
  /** Default: env HF_TOKEN (gated sets such as LIMA need one). */
  readonly token?: string;
  /** Default: env AGORA_CACHE_DIR + "/hf", else .cache/agora/hf */
  readonly cacheDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly filter?: RowFilter | readonly RowFilter[];
  /** Stop once this many rows passed the filter. */
  readonly limit?: number;
  /** Download again even when cached. */
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
  /** Rows datasets-server served only with truncated cells, left out. */
  readonly skippedTruncated: number;
}

interface RowsPage {
  rows: { row_idx: number; row: unknown; truncated_cells?: string[] }[];
  num_rows_total?: number;
}

/**
 * Rows of one split through the datasets-server JSON API, paged 100 at a time, filtered and
 * cut to `limit`, cached as JSON Lines (written to a temp file and renamed, so a killed
 * download never leaves a partial cache). A later call reads the cache and makes no request.
 */
export async function fetchHfRows(ref: HfDatasetRef, opts: HfFetchOptions = {}): Promise<HfRowsResult> {
  const cachePath = hfCachePath(ref, opts);
  if (!opts.refresh && existsSync(cachePath)) {
    const rows = jsonlRows(cachePath, await readFile(cachePath, 'utf8')).map((r) => r.row);
    return { rows, cachePath, fromCache: true, skippedTruncated: 0 };
  }
  if (opts.offline) throw new HfError('network', `${ref.dataset} (${ref.split}) is not downloaded yet (looked for ${cachePath})`);
  const http = httpOptions(opts);
  const config = ref.config ?? (await findConfig(ref, http));
  const kept: unknown[] = [];
  let skippedTruncated = 0;
  let total: number | undefined;
  for (let offset = 0; total === undefined || offset < total; ) {
    if (opts.limit !== undefined && kept.length >= opts.limit) break;
    const page = await getRows(http, ref.dataset, config, ref.split, offset, PAGE);
    total = page.num_rows_total ?? (page.rows.length < PAGE ? offset + page.rows.length : undefined);
    if (page.rows.length === 0) break;
    for (const r of page.rows) {
      let row = r.row;
      if (r.truncated_cells?.length) {
        // Cells of a big page can come back cut; one row alone usually comes whole.
        const single = await getRows(http, ref.dataset, config, ref.split, r.row_idx, 1);
        const whole = single.rows[0];
        if (!whole || whole.truncated_cells?.length) {
          skippedTruncated++;
          continue;
        }
        row = whole.row;
      }
      if (matchesFilters(row, opts.filter) && (opts.limit === undefined || kept.length < opts.limit)) kept.push(row);
    }
    offset += page.rows.length;
    opts.onProgress?.({ offset, kept: kept.length, total });
  }
  await writeFileAtomic(cachePath, kept.map((r) => JSON.stringify(r)).join('\n') + (kept.length ? '\n' : ''));
  return { rows: kept, cachePath, fromCache: false, skippedTruncated };
}

/** <cache>/<owner__name>/<config>/<split>[.<hash of filter+limit>].jsonl */
export function hfCachePath(ref: HfDatasetRef, opts: Pick<HfFetchOptions, 'cacheDir' | 'env' | 'filter' | 'limit'> = {}): string {
  const dir = opts.cacheDir ?? hfCacheDir(opts.env ?? process.env);
  const variant = opts.filter !== undefined || opts.limit !== undefined ? `.${createHash('sha256').update(JSON.stringify([opts.filter ?? null, opts.limit ?? null])).digest('hex').slice(0, 10)}` : '';
  return path.join(dir, safe(ref.dataset.replace('/', '__')), safe(ref.config ?? '_default'), `${safe(ref.split)}${variant}.jsonl`);
}

function httpOptions(opts: HfFetchOptions): HttpOptions {
  const env = opts.env ?? process.env;
  return {
    endpoint: (opts.endpoint ?? (env['AGORA_HF_ENDPOINT'] || DEFAULT_HF_ENDPOINT)).replace(/\/+$/, ''),
    token: opts.token ?? (env['HF_TOKEN'] || undefined),
    signal: opts.signal,
    retries: opts.retries ?? 4,
    retryBaseMs: opts.retryBaseMs ?? 1000,
  };
}

async function getRows(http: HttpOptions, dataset: string, config: string, split: string, offset: number, length: number): Promise<RowsPage> {
  const query = new URLSearchParams({ dataset, config, split, offset: String(offset), length: String(length) });
  const body = await getJson(http, `/rows?${query}`);
  const rows = (body as { rows?: unknown }).rows;
  if (!Array.isArray(rows) || rows.some((r) => typeof r !== 'object' || r === null || !('row' in r))) {
    throw new HfError('format', `datasets-server: /rows for ${dataset} (${config}/${split}) at offset ${offset} returned no "rows" list`);
  }
  const total = (body as { num_rows_total?: unknown }).num_rows_total;
  return { rows: rows as RowsPage['rows'], num_rows_total: typeof total === 'number' ? total : undefined };
}

async function findConfig(ref: HfDatasetRef, http: HttpOptions): Promise<string> {
  const body = await getJson(http, `/splits?${new URLSearchParams({ dataset: ref.dataset })}`);
  const splits = ((body as { splits?: unknown }).splits ?? []) as { config?: string; split?: string }[];
  const configs = [...new Set(splits.filter((s) => s.split === ref.split).map((s) => s.config ?? ''))].filter(Boolean);
  if (configs.length === 1) return configs[0] as string;
  if (configs.includes('default')) return 'default';
  throw new HfError(
    'format',
    configs.length === 0
      ? `datasets-server: ${ref.dataset} has no split "${ref.split}"`
      : `datasets-server: ${ref.dataset} has several configs with split "${ref.split}" (${configs.join(', ')}); name one`,
  );
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}
