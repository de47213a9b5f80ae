import { z } from 'zod';
import { pause } from '../pause.js';

/** An OpenAI-compatible base URL: `/v1` is added when the given URL does not end with it. */
export function endpointBaseUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

export class ServerNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerNotReadyError';
  }
}

export interface ReadinessOptions {
  readonly timeoutMs: number;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  /** Checked between polls: a reason when waiting is pointless (the server process exited). */
  readonly gone?: () => string | undefined;
}

// What agora reads of the OpenAI-compatible model list; a server answering another shape is named
// in the wait's last reason instead of passing for one that lists no models.
const modelListSchema = z.object({ data: z.array(z.looseObject({ id: z.string() })) });

/** The model ids of a /models answer, or what is wrong with it (the field, as zod names it). */
function readModelList(text: string): string[] | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return `the answer is not JSON (${(e as Error).message}): ${text.slice(0, 100)}`;
  }
  const r = modelListSchema.safeParse(raw);
  if (r.success) return r.data.data.map((m) => m.id);
  return `the answer is not a model list: ${r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`;
}

/** One GET /models: the model ids, or why there are none yet. */
async function listModels(baseURL: string, signal?: AbortSignal): Promise<string[] | string> {
  try {
    const timeout = AbortSignal.timeout(5_000);
    const res = await fetch(`${baseURL}/models`, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    const text = await res.text();
    if (!res.ok) return `HTTP ${res.status}`;
    return readModelList(text);
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Waits until `GET {baseURL}/models` answers with a model list (vLLM answers it once the
 * weights are loaded) and returns the model ids. Throws ServerNotReadyError on timeout or
 * when `gone` reports the server dead; an abort ends the wait with the signal's reason.
 */
export async function waitForModels(baseURL: string, opts: ReadinessOptions): Promise<string[]> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (opts.signal?.aborted) throw new ServerNotReadyError('aborted while waiting for the student server');
    const dead = opts.gone?.();
    if (dead !== undefined) throw new ServerNotReadyError(dead);
    const r = await listModels(baseURL, opts.signal);
    if (Array.isArray(r) && r.length > 0) return r;
    last = Array.isArray(r) ? 'it lists no models' : r;
    if (Date.now() >= deadline) {
      throw new ServerNotReadyError(`${baseURL}/models did not answer within ${Math.round(opts.timeoutMs / 1000)} s (last: ${last})`);
    }
    await pause(Math.min(opts.pollMs ?? 500, Math.max(0, deadline - Date.now())), opts.signal);
  }
}
