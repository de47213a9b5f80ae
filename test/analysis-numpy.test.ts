import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { mlLinearAlgebra } from '../src/adapters/analysis/ml-linear-algebra.js';
import { solverCorrelation } from '../src/core/analysis/correlation.js';
import { embeddingDiversity } from '../src/core/analysis/diversity.js';
import { principalComponents, type MetricTable } from '../src/core/analysis/pca.js';
import { meanPerplexity } from '../src/core/analysis/perplexity.js';
import { ols, regressOnComponents, regressOnEachMetric, type OlsResult } from '../src/core/analysis/regression.js';

// Every statistic against an independent implementation: numpy (and scipy's t distribution,
// where installed) in a child process, on one fixed pseudo-random sweep of 27 cells.
const PYTHONS = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p));
const has = (py: string, mods: string) => spawnSync(py, ['-c', `import ${mods}`], { stdio: 'ignore' }).status === 0;
const PY = PYTHONS.find((p) => has(p, 'numpy'));
const SCIPY = PY !== undefined && has(PY, 'scipy');
if (!PY) console.warn('[analysis-numpy] skipping: no python3 with numpy (pip install --retries 0 numpy)');
else if (!SCIPY) console.warn(`[analysis-numpy] p-values not compared: ${PY} has no scipy`);

/** A fixed LCG, so the dataset is the same on every machine (Math.random is not seedable). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const rand = lcg(13);
const METRICS = ['judgeDifficulty', 'openJudgeDifficulty', 'perplexity', 'judgeQuality', 'rewardScore', 'instructionDiversity', 'responseDiversity'];
const GENERATORS = ['gpt-4o', 'claude', 'llama-8b'];
const CELLS = GENERATORS.flatMap((g) => Array.from({ length: 9 }, (_, s) => `${g}/setting-${s}`));
const TABLE: MetricTable = {
  metrics: METRICS,
  rows: CELLS.map((label) => {
    const base = 1 + 4 * rand();
    // Correlated metrics, as real judges are, so the components differ in size.
    return { label, values: [base, base + rand(), 2 + 18 * rand(), 5 - base / 2 + rand(), 10 * rand() - 5, 0.6 + 0.3 * rand(), 0.5 + 0.4 * rand()] };
  }),
};
const PGR = TABLE.rows.map((r) => 10 * r.values[3]! - r.values[2]! + 15 * rand());
const SOLVER = { 'gpt-4o': 76.2, claude: 80.1, 'llama-8b': 51.3 } as Record<string, number>;
const REL = 1e-9;
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(REL * Math.max(1, Math.abs(b)));

const EMBEDDINGS = Array.from({ length: 60 }, () => Array.from({ length: 32 }, () => rand() - 0.3));
const ITEMS = Array.from({ length: 20 }, (_, i) => ({
  tokenLogprobs: [null, ...Array.from({ length: 3 + (i % 7) }, () => -6 * rand())],
  ...(i % 4 === 0 ? { span: { start: 2, end: 3 + (i % 7) } } : {}),
}));
const POINTS = CELLS.map((c, i) => ({ generator: c.split('/')[0]!, solverScore: SOLVER[c.split('/')[0]!]!, pgr: PGR[i]! }));

// One Python process computes every reference number (numpy's import is slow on a busy machine).
const REFERENCE = `import json, sys
import numpy as np
data = json.load(sys.stdin)
try:
    from scipy import stats
except ImportError:
    stats = None
X = np.array(data["table"], dtype=float); y = np.array(data["pgr"], dtype=float)
z = (X - X.mean(0)) / X.std(0)
w, v = np.linalg.eigh(np.cov(z, rowvar=False))
order = np.argsort(w)[::-1]; w = w[order]; v = v[:, order]
for k in range(v.shape[1]):
    j = np.argmax(np.abs(v[:, k]))
    if v[j, k] < 0: v[:, k] = -v[:, k]
scores = z @ v
def ols(cols):
    A = np.column_stack([np.ones(len(y))] + cols)
    b, *_ = np.linalg.lstsq(A, y, rcond=None)
    res = y - A @ b; n, k1 = A.shape; df = n - k1
    sse = res @ res; sst = ((y - y.mean()) ** 2).sum()
    se = np.sqrt(np.diag(sse / df * np.linalg.inv(A.T @ A)))
    r2 = 1 - sse / sst
    p = (2 * stats.t.sf(np.abs(b / se), df)).tolist() if stats else None
    return {"b": b.tolist(), "se": se.tolist(), "r2": r2, "adj": 1 - (1 - r2) * (n - 1) / df, "p": p}
def ranks(a):
    # average ranks for ties, without scipy
    return np.array([(np.sum(a < x) + 1 + np.sum(a <= x)) / 2 for x in a])
sx = np.array(data["solver"], dtype=float)
E = np.array(data["emb"], dtype=float); U = E / np.linalg.norm(E, axis=1, keepdims=True); S = U @ U.T
ppl = []
for it in data["items"]:
    lp = it["tokenLogprobs"]; s = it.get("span", {"start": 0, "end": len(lp)})
    ppl.append(np.exp(-np.array([t for t in lp[s["start"]:s["end"]] if t is not None]).mean()))
out = {
    "pca": {"var": w.tolist(), "ratio": (w / w.sum()).tolist(), "load": v.T.tolist(), "scores": scores.tolist()},
    "onComponents": ols([scores[:, k] for k in range(5)]),
    "onEach": [ols([X[:, j]]) for j in range(X.shape[1])],
    "onTwo": ols([X[:, 0], X[:, 2]]),
    "pearson": {"r": np.corrcoef(sx, y)[0, 1], "p": stats.pearsonr(sx, y)[1] if stats else None},
    "spearman": {"r": np.corrcoef(ranks(sx), ranks(y))[0, 1], "p": stats.spearmanr(sx, y)[1] if stats else None},
    "similarity": (S.sum() - np.trace(S)) / (len(E) * (len(E) - 1)),
    "perplexity": float(np.mean(ppl)),
}
print(json.dumps(out))
`;

interface OlsRef {
  b: number[];
  se: number[];
  r2: number;
  adj: number;
  p: number[] | null;
}
interface Reference {
  pca: { var: number[]; ratio: number[]; load: number[][]; scores: number[][] };
  onComponents: OlsRef;
  onEach: OlsRef[];
  onTwo: OlsRef;
  pearson: { r: number; p: number | null };
  spearman: { r: number; p: number | null };
  similarity: number;
  perplexity: number;
}

function reference(): Reference {
  const input = { table: TABLE.rows.map((r) => r.values), pgr: PGR, solver: POINTS.map((p) => p.solverScore), emb: EMBEDDINGS, items: ITEMS };
  const r = spawnSync(PY!, ['-c', REFERENCE], { input: JSON.stringify(input), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Reference;
}

// jstat's incomplete beta stops at a relative step of 3e-7, so its p-values agree with scipy's
// to about 1e-6 relative: far finer than the three digits a report prints.
const closeP = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-6 * b + 1e-12);

function compareOls(fit: OlsResult, ref: OlsRef) {
  [fit.intercept, ...fit.coefficients].forEach((c, j) => {
    close(c.estimate, ref.b[j]!);
    close(c.stdError, ref.se[j]!);
    if (ref.p) closeP(c.p, ref.p[j]!);
  });
  close(fit.rSquared, ref.r2);
  close(fit.adjustedRSquared, ref.adj);
}

describe.skipIf(!PY)('analyses against numpy', () => {
  let ref: Reference;
  beforeAll(() => {
    ref = reference();
  });

  it('PCA: variances, ratios, loadings (largest |loading| positive) and scores match z-scored numpy eigh', () => {
    const ours = principalComponents(TABLE, mlLinearAlgebra);
    expect(ours.components).toHaveLength(METRICS.length);
    ours.components.forEach((c, k) => {
      close(c.variance, ref.pca.var[k]!);
      close(c.varianceRatio, ref.pca.ratio[k]!);
      c.loadings.forEach((w, j) => close(w, ref.pca.load[k]![j]!));
    });
    ours.scores.forEach((row, i) => row.forEach((s, k) => close(s, ref.pca.scores[i]![k]!)));
    expect(ours.components[0]!.varianceRatio).toBeGreaterThan(ours.components[1]!.varianceRatio);
  });

  it('OLS of PGR on the top five components: coefficients, standard errors, R², adjusted R² and p as numpy/scipy', () => {
    const fit = regressOnComponents(principalComponents(TABLE, mlLinearAlgebra), PGR, 5, mlLinearAlgebra);
    expect(fit.componentsUsed).toBe(5);
    expect(fit.dfResidual).toBe(CELLS.length - 6);
    compareOls(fit, ref.onComponents);
  });

  it('OLS of PGR on each metric alone matches numpy for every metric', () => {
    const fits = regressOnEachMetric(TABLE, PGR, mlLinearAlgebra);
    expect(fits.map((f) => f.metric)).toEqual(METRICS);
    fits.forEach((f, j) => {
      if (!('fit' in f)) throw new Error(`metric ${f.metric}: ${f.error}`);
      compareOls(f.fit, ref.onEach[j]!);
    });
  });

  it('a two-predictor OLS with an intercept on raw metric columns matches numpy', () => {
    const fit = ols(
      [0, 2].map((j) => ({ name: METRICS[j]!, values: TABLE.rows.map((r) => r.values[j]!) })),
      PGR,
      mlLinearAlgebra,
    );
    compareOls(fit, ref.onTwo);
  });

  it('Pearson and Spearman (ties from the per-generator solver score) of PGR with solver score match numpy/scipy', () => {
    const ours = solverCorrelation(POINTS, mlLinearAlgebra);
    close(ours.pearson.r, ref.pearson.r);
    close(ours.spearman.r, ref.spearman.r);
    if (ref.pearson.p !== null) closeP(ours.pearson.p, ref.pearson.p);
    if (ref.spearman.p !== null) closeP(ours.spearman.p, ref.spearman.p);
  });

  it('diversity: mean off-diagonal cosine similarity of 60 embeddings of 32 dims equals numpy brute force', () => {
    const ours = embeddingDiversity(EMBEDDINGS);
    close(ours.meanCosineSimilarity, ref.similarity);
    close(ours.meanCosineDistance, 1 - ref.similarity);
    expect(ours.pairs).toBe((60 * 59) / 2);
  });

  it('perplexity: per-item exp(-mean) over scored tokens, then the mean over items, as numpy computes it', () => {
    const ours = meanPerplexity(ITEMS);
    close(ours.mean, ref.perplexity);
    expect(ours.scored).toBe(20);
  });
});
