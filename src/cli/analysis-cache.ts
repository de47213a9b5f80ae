/**
 * At most one computation per `everyMs`: the dashboard's analyses view asks on every snapshot
 * (about twice a second while the run moves), and the analyses read every sampled instance's
 * metric, O(instances). A few seconds' staleness is invisible in numbers that change when a
 * metrics stage finishes a cell; a failed computation is not cached, so the next ask retries.
 */
export function throttled<T>(load: () => T, everyMs: number, now: () => number = Date.now): () => T {
  let last: { at: number; value: T } | undefined;
  return () => {
    const t = now();
    if (last && t - last.at < everyMs) return last.value;
    last = { at: t, value: load() };
    return last.value;
  };
}
