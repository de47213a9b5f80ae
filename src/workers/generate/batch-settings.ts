/**
 * Requests per batch: a 10,000-instance cell goes out as ten batches, so the first results come
 * back (and are settled, and shown) long before the last, and an expired batch costs a tenth.
 * Both providers accept far more (OpenAI 50,000 requests, Anthropic 100,000).
 */
const DEFAULT_SIZE = 1000;
/** The providers finish batches in minutes to 24 hours; a poll a minute is plenty. */
const DEFAULT_POLL_SECONDS = 60;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${raw}: expected a positive number`);
  return n;
}

/** AGORA_BATCH_SIZE and AGORA_BATCH_POLL_SECONDS (for tests, or a provider that finishes fast). */
export function batchSettings(env: NodeJS.ProcessEnv): { size: number; pollMs: number } {
  return {
    size: Math.floor(positive(env, 'AGORA_BATCH_SIZE', DEFAULT_SIZE)) || 1,
    pollMs: Math.round(positive(env, 'AGORA_BATCH_POLL_SECONDS', DEFAULT_POLL_SECONDS) * 1000),
  };
}
