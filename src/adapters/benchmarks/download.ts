import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type FetchImpl = typeof fetch;

export const DEFAULT_HF_ENDPOINT = 'https://datasets-server.huggingface.co';
export const DEFAULT_GITHUB_RAW_ENDPOINT = 'https://raw.githubusercontent.com';

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

const RETRIES = 3;

async function get(url: string, fetchImpl: FetchImpl): Promise<Response> {
  let last = '';
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    let res: Response;
    try {
      res = await fetchImpl(url, { signal: AbortSignal.timeout(60_000) });
    } catch (err) {
      last = (err as Error).message;
      continue;
    }
    if (res.ok) return res;
    last = `HTTP ${res.status}`;
    // Rate limits and server errors pass; anything else (404, 401) will not get better.
    if (res.status !== 429 && res.status < 500) break;
  }
  throw new DownloadError(`GET ${url}: ${last}`);
}

export async function fetchText(url: string, fetchImpl: FetchImpl = fetch): Promise<string> {
  return (await get(url, fetchImpl)).text();
}

interface RowsPage {
  readonly rows?: readonly { readonly row_idx?: number; readonly row?: Record<string, unknown>; readonly truncated_cells?: readonly string[] }[];
  readonly num_rows_total?: number;
}

/**
 * All rows of one split through the Hugging Face datasets-server `/rows` API (100 rows a page,
 * the API's maximum). Truncated cells are an error: a cut-off test would grade wrongly.
 */
export async function fetchHfRows(
  spec: { readonly dataset: string; readonly config: string; readonly split: string },
  endpoint: string = DEFAULT_HF_ENDPOINT,
  fetchImpl: FetchImpl = fetch,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const base = endpoint.replace(/\/+$/, '');
  for (let offset = 0; ; ) {
    const q = new URLSearchParams({ dataset: spec.dataset, config: spec.config, split: spec.split, offset: String(offset), length: '100' });
    const url = `${base}/rows?${q.toString()}`;
    let page: RowsPage;
    try {
      page = (await (await get(url, fetchImpl)).json()) as RowsPage;
    } catch (err) {
      if (err instanceof DownloadError) throw err;
      throw new DownloadError(`GET ${url}: malformed response: ${(err as Error).message}`);
    }
    const rows = page.rows ?? [];
    for (const r of rows) {
      if (r.truncated_cells && r.truncated_cells.length > 0) {
        throw new DownloadError(`${spec.dataset} row ${r.row_idx ?? '?'}: cells ${r.truncated_cells.join(', ')} were truncated by the server`);
      }
      if (!r.row) throw new DownloadError(`GET ${url}: a row without "row"`);
      out.push(r.row);
    }
    offset += rows.length;
    const total = page.num_rows_total ?? 0;
    if (rows.length === 0 || offset >= total) {
      if (offset < total) throw new DownloadError(`${spec.dataset}: got ${offset} of ${total} rows`);
      return out;
    }
  }
}

/** Writes through a temporary file and a rename, so a cache file is complete or absent. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

export function toJsonLines(rows: readonly Record<string, unknown>[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
