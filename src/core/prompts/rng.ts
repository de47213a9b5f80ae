/**
 * Seeded randomness for prompt assembly. Generation must be reproducible and resumable:
 * the worker derives one seed per instance (config seed, generator, setting, index), so a
 * restarted worker rebuilds exactly the prompts it would have sent.
 */

/** Uniform float in [0, 1). */
export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for sampling demos and topics (not for crypto). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts' string forms: stable 32-bit seed from e.g. (42, 'gpt-4o', 'math/instance', 17). */
export function deriveSeed(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.map(String).join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`randomInt needs a positive integer bound, got ${n}`);
  return Math.min(n - 1, Math.floor(rng() * n));
}

export function randomChoice<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('randomChoice from an empty list');
  return items[randomInt(rng, items.length)] as T;
}

/** k distinct indices from [0, n), in random order; Floyd's algorithm keeps it O(k) for huge n. */
export function sampleIndices(rng: Rng, n: number, k: number): number[] {
  if (k > n) throw new RangeError(`cannot sample ${k} distinct items from ${n}`);
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = randomInt(rng, j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return shuffle(rng, [...chosen]);
}

/** Fisher-Yates on a copy. */
export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
