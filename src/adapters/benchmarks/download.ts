import { getWithRetries } from '../http-get.js';

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
  let res: Response;
  try {
    res = await getWithRetries(url, { retries: RETRIES, retryBaseMs: 1000, timeoutMs: 60_000, fetchImpl });
  } catch (err) {
    throw new DownloadError(`GET ${url}: ${(err as Error).message}`);
  }
  if (!res.ok) throw new DownloadError(`GET ${url}: HTTP ${res.status}`);
  return res;
}

export async function fetchText(url: string, fetchImpl: FetchImpl = fetch): Promise<string> {
  return (await get(url, fetchImpl)).text();
}

export function toJsonLines(rows: readonly Record<string, unknown>[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
