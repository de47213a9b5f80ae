import { ProviderError } from '../../core/ports.js';

/** How an attempt ended, as far as the limiter cares. */
export type SlotOutcome = 'success' | 'rate-limit' | 'neutral';

export interface LimiterSlot {
  /** Gives the slot back; only the first call counts. */
  release(outcome: SlotOutcome): void;
}

interface Waiter {
  readonly grant: () => void;
}

function checkMax(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`max concurrency must be a positive integer, got ${String(n)}`);
}

/**
 * AIMD concurrency limit, as TCP congestion control does it: a 429 halves the limit (never below
 * 1), and each run of successes as long as the current limit raises it by 1, back up to the max.
 * Only one halving per congestion event: a 429 from an attempt that started before the last
 * halving is the same burst, and would otherwise collapse the limit to 1 at once.
 */
export class AdaptiveLimiter {
  #max: number;
  #limit: number;
  #active = 0;
  #successes = 0;
  #epoch = 0;
  readonly #waiters: Waiter[] = [];

  constructor(max: number) {
    checkMax(max);
    this.#max = max;
    this.#limit = max;
  }

  /** The current limit: attempts allowed at once. */
  get limit(): number {
    return this.#limit;
  }

  get max(): number {
    return this.#max;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /** Changes the cap; a limit that was not backed off follows the cap up. */
  setMax(n: number): void {
    checkMax(n);
    if (this.#limit === this.#max || this.#limit > n) this.#limit = n;
    this.#max = n;
    this.#drain();
  }

  /** Waits for a free slot, first come first served; rejects with ProviderError('aborted') on abort. */
  acquire(signal?: AbortSignal): Promise<LimiterSlot> {
    if (signal?.aborted) return Promise.reject(new ProviderError('aborted', 'request aborted'));
    if (this.#active < this.#limit && this.#waiters.length === 0) return Promise.resolve(this.#take());
    return new Promise<LimiterSlot>((resolve, reject) => {
      const onAbort = () => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(new ProviderError('aborted', 'request aborted'));
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#take());
        },
      };
      this.#waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #take(): LimiterSlot {
    this.#active++;
    const epoch = this.#epoch;
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        this.#active--;
        this.#record(outcome, epoch);
        this.#drain();
      },
    };
  }

  #record(outcome: SlotOutcome, epoch: number): void {
    if (outcome === 'rate-limit') {
      if (epoch !== this.#epoch) return;
      this.#limit = Math.max(1, Math.floor(this.#limit / 2));
      this.#epoch++;
      this.#successes = 0;
    } else if (outcome === 'success' && this.#limit < this.#max) {
      this.#successes++;
      if (this.#successes >= this.#limit) {
        this.#limit++;
        this.#successes = 0;
      }
    }
  }

  #drain(): void {
    while (this.#active < this.#limit && this.#waiters.length > 0) this.#waiters.shift()!.grant();
  }
}
