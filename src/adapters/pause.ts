import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms`, or less once `signal` aborts: the one sleep of agora's polling loops, which look
 * at their signal after each wait and end on their own (retries, which must stop with an
 * error instead, use retry-policy's `sleep`, built on the same timer).
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (e) {
    if (!signal?.aborted) throw e;
  }
}
