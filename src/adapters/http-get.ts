import { pause } from './pause.js';

export interface RetryingGetOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Backoff before retry n (0-based) is retryBaseMs x 2^n, unless the server says Retry-After. */
  readonly retryBaseMs: number;
  /** Per attempt; default none. */
  readonly timeoutMs?: number;
  readonly fetchImpl?: typeof fetch;
}

/** No response came back: every attempt failed before the server answered. */
export class NetworkError extends Error {
  constructor(
    readonly url: string,
    err: unknown,
  ) {
    // fetch's own message is "fetch failed"; the reason (ECONNREFUSED, ...) is its cause.
    const c = (err as { cause?: { code?: string; message?: string } }).cause;
    super(c?.code ?? c?.message ?? (err as Error).message, { cause: err });
    this.name = 'NetworkError';
  }
}

/** Retry-After in seconds (capped at 2 minutes), as milliseconds. */
function retryAfterMs(res: Response): number | undefined {
  const v = res.headers.get('retry-after');
  if (!v) return undefined;
  const s = Number(v);
  return Number.isFinite(s) && s >= 0 ? Math.min(s, 120) * 1000 : undefined;
}

/**
 * The one GET of agora's downloads (Hugging Face, GitHub raw files): network errors, 429 and
 * 5xx are retried with exponential backoff, honouring Retry-After; the caller's signal ends the
 * wait at once. Answers the last response, ok or not (a 404 is not retried); throws
 * NetworkError when no attempt got an answer, or the abort reason when aborted.
 */
export async function getWithRetries(url: string, opts: RetryingGetOptions): Promise<Response> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  for (let attempt = 0; ; attempt++) {
    const signals = [opts.signal, opts.timeoutMs !== undefined ? AbortSignal.timeout(opts.timeoutMs) : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    let res: Response;
    try {
      res = await fetchImpl(url, { headers: opts.headers, signal: signals.length ? AbortSignal.any(signals) : undefined });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      if (attempt >= opts.retries) throw new NetworkError(url, err);
      await pause(opts.retryBaseMs * 2 ** attempt, opts.signal);
      continue;
    }
    const retryable = res.status === 429 || res.status >= 500;
    if (!retryable || attempt >= opts.retries) return res;
    await res.body?.cancel();
    await pause(retryAfterMs(res) ?? opts.retryBaseMs * 2 ** attempt, opts.signal);
    if (opts.signal?.aborted) throw opts.signal.reason;
  }
}
