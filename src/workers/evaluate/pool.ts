import pLimit from 'p-limit';

/**
 * Runs `fn` over `items` with at most `limit` in flight. Unlike a plain map it stops taking
 * new items after the first error or an abort, lets the ones in flight finish, then throws
 * that first error (so a budget stop or a dead server does not start hundreds more requests).
 */
export async function runPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const slots = pLimit(Math.max(1, Math.floor(limit) || 1));
  let failure: { error: unknown } | undefined;
  // Queued items are skipped rather than cleared: p-limit's clearQueue would leave their
  // promises pending, and this must wait for exactly the ones in flight.
  await slots.map(items, async (item) => {
    if (failure !== undefined || signal?.aborted) return;
    try {
      await fn(item);
    } catch (error) {
      failure ??= { error };
    }
  });
  if (failure !== undefined) throw failure.error;
}
