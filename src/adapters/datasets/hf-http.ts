import { getWithRetries, NetworkError } from '../http-get.js';

export interface HttpOptions {
  /** datasets-server's base URL (the /rows fallback). */
  readonly endpoint: string;
  /** The Hub's base URL (revisions, file listings, parquet downloads). */
  readonly hubEndpoint: string;
  readonly token?: string;
  readonly signal?: AbortSignal;
  readonly retries: number;
  readonly retryBaseMs: number;
}

export type HfErrorKind = 'http' | 'network' | 'format';

/** The service a request went to, as messages name it. */
export type HfService = 'datasets-server' | 'Hugging Face Hub';

/** A Hugging Face request that failed for good (retries spent, or not worth retrying). */
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

/** GET url (429, 5xx and network errors retried with backoff by the one GET); the answer, ok or not. */
export async function hfGet(http: HttpOptions, url: string, service: HfService, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (http.token) headers['authorization'] = `Bearer ${http.token}`;
  try {
    return await getWithRetries(url, { headers, signal: http.signal, retries: http.retries, retryBaseMs: http.retryBaseMs });
  } catch (err) {
    if (err instanceof NetworkError) throw new HfError('network', `${service} unreachable: GET ${url}: ${err.message}`);
    throw err;
  }
}

/** GET url as JSON; an answer that is not ok is an HfError with the server's own message. */
export async function getJson(http: HttpOptions, url: string, service: HfService): Promise<unknown> {
  const res = await hfGet(http, url, service);
  const text = await res.text();
  if (!res.ok) throw httpError(service, url, res.status, text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HfError('format', `${service}: GET ${url}: response is not JSON`);
  }
}

export function httpError(service: HfService, url: string, status: number, body: string): HfError {
  return new HfError('http', `${service}: GET ${url}: HTTP ${status}${errorText(body)}`, status);
}

/** Both services answer errors as {"error": "..."}; show that, or the start of the body. */
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
