import { getWithRetries, NetworkError } from '../http-get.js';

export interface HttpOptions {
  readonly endpoint: string;
  readonly token?: string;
  readonly signal?: AbortSignal;
  readonly retries: number;
  readonly retryBaseMs: number;
}

export type HfErrorKind = 'http' | 'network' | 'format';

/** A datasets-server request that failed for good (retries spent, or not worth retrying). */
export class HfError extends Error {
  constructor(
    readonly kind: HfErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HfError';
  }
}

/** GET endpoint+pathAndQuery as JSON; 429 and 5xx and network errors are retried with backoff. */
export async function getJson(http: HttpOptions, pathAndQuery: string): Promise<unknown> {
  const url = http.endpoint + pathAndQuery;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (http.token) headers['authorization'] = `Bearer ${http.token}`;
  let res: Response;
  try {
    res = await getWithRetries(url, { headers, signal: http.signal, retries: http.retries, retryBaseMs: http.retryBaseMs });
  } catch (err) {
    if (err instanceof NetworkError) throw new HfError('network', `datasets-server unreachable: GET ${url}: ${err.message}`);
    throw err;
  }
  const text = await res.text();
  if (!res.ok) throw new HfError('http', `datasets-server: GET ${url}: HTTP ${res.status}${errorText(text)}`, res.status);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HfError('format', `datasets-server: GET ${url}: response is not JSON`);
  }
}

/** datasets-server answers errors as {"error": "..."}; show that, or the start of the body. */
function errorText(body: string): string {
  try {
    const e = (JSON.parse(body) as { error?: unknown }).error;
    if (typeof e === 'string') return `: ${e}`;
  } catch {
    // not JSON: fall through
  }
  const t = body.trim().slice(0, 200);
  return t ? `: ${t}` : '';
}
