import type { Db } from './open-store.js';

interface Queued {
  readonly f: () => unknown;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Groups the writes of requests that complete in the same turn of the event loop into one
 * IMMEDIATE transaction: at high request rates one commit per request is what limits a
 * worker, and a commit shared by many costs about as much as one. Each write runs in its own
 * savepoint, so one that throws undoes only itself; callers hear of success only after the
 * commit, so nothing is reported stored that a crash could still lose.
 */
export class WriteBatch {
  private queue: Queued[] = [];
  private scheduled = false;

  constructor(private readonly db: Db) {}

  run<T>(f: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ f, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  flush(): void {
    this.scheduled = false;
    const items = this.queue.splice(0);
    if (items.length === 0) return;
    const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db
        .transaction(() => {
          for (const it of items) {
            try {
              results.push({ ok: true, value: this.db.transaction(it.f).immediate() });
            } catch (error) {
              results.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const it of items) it.reject(error);
      return;
    }
    items.forEach((it, i) => {
      const r = results[i]!;
      if (r.ok) it.resolve(r.value);
      else it.reject(r.error);
    });
  }
}
