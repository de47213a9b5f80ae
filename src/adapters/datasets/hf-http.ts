import { setTimeout as sleep } from 'node:timers/promises';

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
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: http.signal });
    } catch (err) {
      if (http.signal?.aborted) throw err;
      if (attempt < http.retries) {
        await sleep(backoff(http, attempt), undefined, { signal: http.signal });
        continue;
      }
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new HfError('network', `datasets-server unreachable: GET ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    const text = await res.text();
    if (res.ok) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new HfError('format', `datasets-server: GET ${url}: response is not JSON`);
      }
    }
    const retryable = res.status === 429 || res.status >= 500;
    if (retryable && attempt < http.retries) {
      await sleep(retryAfterMs(res) ?? backoff(http, attempt), undefined, { signal: http.signal });
      continue;
    }
    throw new HfError('http', `datasets-server: GET ${url}: HTTP ${res.status}${errorText(text)}`, res.status);
  }
}

function backoff(http: HttpOptions, attempt: number): number {
  return http.retryBaseMs * 2 ** attempt;
}

function retryAfterMs(res: Response): number | undefined {
  const v = res.headers.get('retry-after');
  if (!v) return undefined;
  const s = Number(v);
  return Number.isFinite(s) ? Math.min(s, 120) * 1000 : undefined;
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
