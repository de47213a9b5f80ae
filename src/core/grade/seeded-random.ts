import { mulberry32 } from '../prompts/rng.js';

// One PRNG for the whole project: prompt sampling and grading draw from the same mulberry32.
export { mulberry32 };

/** FNV-1a of a string, to derive per-item seeds that do not depend on grading order. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A deterministic coin for one item: the same (seed, id) always lands the same way. */
export function itemCoin(seed: number, id: string): boolean {
  return mulberry32(hashString(id, hashString(String(seed))))() < 0.5;
}
