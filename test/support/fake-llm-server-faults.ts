import { mulberry32 } from '../../src/core/prompts/rng.js';
import type { FakeFault, FakeFaultRule } from './fake-llm-server-types.js';

/** The project's one seedable PRNG decides which requests fail. */
export const seededRandom = mulberry32;

function isRule(x: FakeFault | FakeFaultRule): x is FakeFaultRule {
  return 'rate' in x && 'fault' in x;
}

function validate(f: FakeFault): void {
  if (f.kind === 'status' && (!Number.isInteger(f.status) || f.status < 100 || f.status > 599)) {
    throw new RangeError(`fake LLM server: fault status must be an HTTP status, got ${String(f.status)}`);
  }
  if (f.kind === 'delay' && !(f.ms >= 0)) throw new RangeError(`fake LLM server: delay ms must be >= 0, got ${String(f.ms)}`);
}

function matches(f: FakeFault, path: string): boolean {
  return f.path === undefined || f.path === path;
}

/**
 * One-shot faults are served first, in the order they were injected, each to the next request
 * whose path it accepts; standing rules then draw from the seeded RNG, in order.
 */
export class FaultQueue {
  #queue: FakeFault[] = [];
  #rules: FakeFaultRule[] = [];
  #random: () => number;

  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }

  add(items: FakeFault | FakeFaultRule | ReadonlyArray<FakeFault | FakeFaultRule>): void {
    const list = Array.isArray(items) ? (items as ReadonlyArray<FakeFault | FakeFaultRule>) : [items as FakeFault | FakeFaultRule];
    for (const item of list) {
      if (isRule(item)) {
        if (!(item.rate >= 0 && item.rate <= 1)) throw new RangeError(`fake LLM server: rate must be in [0, 1], got ${String(item.rate)}`);
        validate(item.fault);
        this.#rules.push(item);
      } else {
        validate(item);
        this.#queue.push(item);
      }
    }
  }

  clear(): void {
    this.#queue = [];
    this.#rules = [];
  }

  get pending(): number {
    return this.#queue.length;
  }

  next(path: string): FakeFault | undefined {
    const i = this.#queue.findIndex((f) => matches(f, path));
    if (i >= 0) return this.#queue.splice(i, 1)[0];
    for (const rule of this.#rules) {
      if (matches(rule.fault, path) && this.#random() < rule.rate) return rule.fault;
    }
    return undefined;
  }
}
