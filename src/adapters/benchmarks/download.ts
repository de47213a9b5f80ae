import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type FetchImpl = typeof fetch;

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
