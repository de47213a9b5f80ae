/**
 * Instruction and response diversity of a cell's sample (the paper's Table 8): the mean cosine
 * similarity over all pairs of distinct items' embeddings, and c-dist, the mean cosine
 * distance 1 - similarity, which is what the paper reports (higher = more diverse; see
 * DESIGN.md, "Intrinsic metrics"). Self-pairs are excluded: each would add a similarity of 1
 * and make a small sample look more alike than it is.
 */

export interface Diversity {
  readonly items: number;
  /** n (n - 1) / 2 unordered pairs of distinct items. */
  readonly pairs: number;
  readonly meanCosineSimilarity: number;
  /** c-dist = 1 - meanCosineSimilarity. */
  readonly meanCosineDistance: number;
}

/** Scales each embedding to unit length, naming the item that cannot be (zero, ragged, NaN). */
function unitVectors(embeddings: readonly (readonly number[])[]): number[][] {
  const dim = embeddings[0]?.length ?? 0;
  return embeddings.map((e, i) => {
    if (e.length !== dim) throw new RangeError(`embedding ${i} has ${e.length} dimensions, embedding 0 has ${dim}`);
    let norm2 = 0;
    for (const v of e) {
      if (!Number.isFinite(v)) throw new RangeError(`embedding ${i} holds ${v}, not a finite number`);
      norm2 += v * v;
    }
    if (norm2 === 0) throw new RangeError(`embedding ${i} is all zeros: its cosine with anything is undefined`);
    const norm = Math.sqrt(norm2);
    return e.map((v) => v / norm);
  });
}

/**
 * With unit vectors u_i, the sum over ordered pairs i != j of u_i . u_j is |sum u_i|² - n, so
 * the mean over pairs takes one pass (O(n d)) instead of n² dot products; a sample of a few
 * thousand 3,072-dimension embeddings stays instant.
 */
export function embeddingDiversity(embeddings: readonly (readonly number[])[]): Diversity {
  const n = embeddings.length;
  if (n < 2) throw new RangeError(`diversity needs at least 2 embeddings, got ${n}`);
  const units = unitVectors(embeddings);
  const sum = new Array<number>(units[0]!.length).fill(0);
  for (const u of units) for (let d = 0; d < u.length; d++) sum[d] = sum[d]! + u[d]!;
  const sumNorm2 = sum.reduce((s, v) => s + v * v, 0);
  const mean = (sumNorm2 - n) / (n * (n - 1));
  // Rounding may step just outside [-1, 1] when all items point the same way.
  const similarity = Math.max(-1, Math.min(1, mean));
  return { items: n, pairs: (n * (n - 1)) / 2, meanCosineSimilarity: similarity, meanCosineDistance: 1 - similarity };
}
