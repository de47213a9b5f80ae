/**
 * Maps with at most `limit` calls in flight; results keep the input order. After the first
 * error it starts no new item (a failed judge must not go on paying for the rest), lets the
 * ones in flight finish, then throws that error. Core's own pool: core imports no npm package,
 * so grading runs on this while the workers use p-limit (src/workers/evaluate/pool.ts).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(Math.floor(limit) || 1, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
  return out;
}
