import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlLinearAlgebra } from '../src/adapters/analysis/ml-linear-algebra.js';
import { buildAnalysis, type AnalysisModel } from '../src/core/analysis/run-analysis.js';
import { METRICS } from '../src/core/metrics/metric-ids.js';
import { listCells } from '../src/store/cell-repo.js';
import { cellMetricSummaries } from '../src/store/metric-summary-repo.js';
import type { Db } from '../src/store/open-store.js';
import { storeMetrics, type MetricRow } from './support/instance-metrics.js';
import { tempStore, testConfig } from './support/temp-run.js';

// From stored rows to the analyses, against numpy in a child process that reads the same rows
// (the embeddings as the raw bytes, decoded with np.frombuffer '<f4'): per-cell means and
// c-dist, which cells enter, PCA, OLS on the top components and on each metric, and the
// correlation with problem solving.
const PYTHONS = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p));
const PY = PYTHONS.find((p) => spawnSync(p, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0);
if (!PY) console.warn('[run-analysis-numpy] skipping: no python3 with numpy (pip install --retries 0 numpy)');

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const GENERATORS = ['gen-a', 'gen-b', 'gen-c'];
const SETTINGS = ['math/instance', 'code/instance', 'inst/instance', 'math/response'];
const SOLVER: Record<string, number> = { 'gen-a': 71.5, 'gen-b': 40.25, 'gen-c': 58 };
// Every metric but the open judges', which no cell has: they are dropped and named.
const SCALAR = ['difficulty.judge', 'difficulty.perplexity', 'quality.judge', 'quality.reward'] as const;

interface Fixture {
  rows: MetricRow[];
  pgr: Map<number, number>;
}

function fill(db: Db): Fixture {
  const rand = lcg(7);
  const cells = listCells(db);
  const rows: MetricRow[] = [];
  const pgr = new Map<number, number>();
  cells.forEach((c, i) => {
    const skill = rand();
    for (let inst = 1; inst <= 6; inst++) {
      for (const metric of SCALAR) {
        // Cell 3 has no reward scores: it is left out. Every cell has one failed judge row (NULL).
        if (i === 3 && metric === 'quality.reward') continue;
        const value = metric === 'difficulty.perplexity' ? 2 + 10 * rand() : metric === 'quality.reward' ? 4 * rand() - 2 + skill : 1 + Math.floor(5 * rand());
        rows.push({ cellId: c.id, instanceId: inst, metric, value });
      }
      rows.push({ cellId: c.id, instanceId: 100 + inst, metric: 'quality.judge', value: null, detail: { error: 'judge said nothing' } });
      for (const metric of ['diversity.instruction', 'diversity.response'] as const)
        rows.push({ cellId: c.id, instanceId: inst, metric, vector: Array.from({ length: 8 }, () => rand() - 0.2 * skill) });
    }
    // Cell 7 is unscored: left out too.
    if (i !== 7) pgr.set(c.id, 100 * skill - 20 + 10 * rand());
  });
  storeMetrics(db, rows);
  for (const [id, v] of pgr)
    db.prepare(`UPDATE cells SET stage = 'score', state = 'done', scores_json = ? WHERE id = ?`).run(
      JSON.stringify({ benchmarks: {}, pgrByBenchmark: {}, pgr: { value: v } }),
      id,
    );
  return { rows, pgr };
}

const REFERENCE = `import json, sys, base64
import numpy as np
d = json.load(sys.stdin)
metrics = d["metrics"]; cells = d["cells"]
table = {}
for r in d["rows"]:
    t = table.setdefault(str(r["cellId"]), {}).setdefault(r["metric"], [])
    if r["vector"] is not None: t.append(np.frombuffer(base64.b64decode(r["vector"]), dtype="<f4").astype(float))
    elif r["value"] is not None: t.append(r["value"])
def value(items, m):
    if m.startswith("diversity."):
        U = np.array([v / np.linalg.norm(v) for v in items]); S = U @ U.T; n = len(items)
        return 1 - (S.sum() - np.trace(S)) / (n * (n - 1))
    return float(np.mean(items))
present = [m for m in metrics if any(m in t and len(t[m]) > 0 for t in table.values())]
vals = {c: {m: value(t[m], m) for m in present if m in t and len(t[m]) > 0} for c, t in table.items()}
used = [c for c in cells if str(c) in d["pgr"] and str(c) in vals and all(m in vals[str(c)] for m in present)]
X = np.array([[vals[str(c)][m] for m in present] for c in used]); y = np.array([d["pgr"][str(c)] for c in used])
z = (X - X.mean(0)) / X.std(0)
w, v = np.linalg.eigh(np.cov(z, rowvar=False)); o = np.argsort(w)[::-1]; w = w[o]; v = v[:, o]
scores = z @ v
def ols(cols):
    A = np.column_stack([np.ones(len(y))] + cols); b, *_ = np.linalg.lstsq(A, y, rcond=None)
    res = y - A @ b; sse = res @ res; df = A.shape[0] - A.shape[1]
    se = np.sqrt(np.diag(sse / df * np.linalg.inv(A.T @ A)))
    return {"b": b.tolist(), "se": se.tolist(), "r2": 1 - sse / ((y - y.mean()) ** 2).sum()}
k = min(5, len(used) - 2)
sx = np.array([d["solver"][d["gen"][str(c)]] for c in cells if str(c) in d["pgr"]]); sy = np.array([d["pgr"][str(c)] for c in cells if str(c) in d["pgr"]])
print(json.dumps({"present": present, "used": used, "vals": vals, "ratio": (w / w.sum()).tolist(),
  "onComponents": ols([scores[:, j] for j in range(k)]), "k": k,
  "onEach": [ols([X[:, j]]) for j in range(X.shape[1])], "pearson": np.corrcoef(sx, sy)[0, 1]}))
`;

interface OlsRef {
  b: number[];
  se: number[];
  r2: number;
}
interface Reference {
  present: string[];
  used: number[];
  vals: Record<string, Record<string, number>>;
  ratio: number[];
  onComponents: OlsRef;
  k: number;
  onEach: OlsRef[];
  pearson: number;
}

const close = (a: number, b: number, rel = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

describe.skipIf(!PY)("a run's analyses from its stored metrics, against numpy", () => {
  let model: AnalysisModel;
  let ref: Reference;
  let cleanup = () => {};
  beforeAll(() => {
    const config = testConfig({
      generators: GENERATORS.map((id) => ({ id, provider: 'openai-compatible', model: id, baseURL: 'http://127.0.0.1:9/v1', price: { input: 1, output: 2 } })),
      settings: SETTINGS,
    });
    const t = tempStore(config);
    cleanup = t.cleanup;
    const { rows, pgr } = fill(t.db);
    const cells = listCells(t.db);
    model = buildAnalysis(
      {
        cells: cells.map((c) => ({ cellId: c.id, generator: c.generator, setting: c.setting, ...(pgr.has(c.id) && { pgr: { value: pgr.get(c.id)! } }) })),
        summaries: cellMetricSummaries(t.db),
        problemSolving: new Map(Object.entries(SOLVER)),
      },
      mlLinearAlgebra,
    );
    const payload = {
      metrics: METRICS,
      cells: cells.map((c) => c.id),
      gen: Object.fromEntries(cells.map((c) => [c.id, c.generator])),
      rows: rows.map((r) => ({ ...r, value: r.value ?? null, vector: r.vector ? Buffer.from(new Float32Array(r.vector).buffer).toString('base64') : null })),
      pgr: Object.fromEntries(pgr),
      solver: SOLVER,
    };
    const r = spawnSync(PY!, ['-c', REFERENCE], { input: JSON.stringify(payload), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
    ref = JSON.parse(r.stdout) as Reference;
  }, 60_000);
  afterAll(() => cleanup());

  it('per-cell means (failures left out) and c-dist of the decoded float32 embeddings match numpy', () => {
    expect(model.metrics).toEqual(ref.present);
    expect(model.droppedMetrics).toEqual(['difficulty.openJudge', 'quality.openJudge']);
    for (const c of model.cells) {
      for (const m of model.metrics) {
        const theirs = ref.vals[String(c.cellId)]![m];
        if (theirs === undefined) expect(c.values[m]).toBeUndefined();
        else close(c.values[m]!, theirs, 1e-6);
      }
    }
    // Six judged instances per cell: the failed seventh entered neither mean nor count.
    expect(model.cells[0]!.counts['quality.judge']).toBe(6);
    expect(model.cells[0]!.counts['diversity.response']).toBe(6);
  });

  it('leaves out the cell without reward scores and the unscored one, and fits the rest as numpy does', () => {
    expect(model.used).toBe(10);
    expect(model.cells.filter((c) => c.leftOut === undefined).map((c) => c.cellId)).toEqual(ref.used);
    expect(model.cells.filter((c) => c.leftOut).map((c) => c.leftOut)).toEqual(['no quality.reward', 'no PGR yet']);
    if (!('value' in model.pca) || !('value' in model.componentRegression)) throw new Error('expected a PCA and a regression');
    model.pca.value.components.forEach((c, k) => close(c.varianceRatio, ref.ratio[k]!, 1e-6));
    expect(model.componentRegression.value.componentsUsed).toBe(ref.k);
    close(model.componentRegression.value.rSquared, ref.onComponents.r2, 1e-6);
    model.metricRegressions.forEach((r, j) => {
      if (!('value' in r.fit)) throw new Error(r.fit.reason);
      close(r.fit.value.rSquared, ref.onEach[j]!.r2, 1e-6);
      close(r.fit.value.coefficients[0]!.estimate, ref.onEach[j]!.b[1]!, 1e-6);
      close(r.fit.value.coefficients[0]!.stdError, ref.onEach[j]!.se[1]!, 1e-6);
    });
    if (!('value' in model.solver)) throw new Error(model.solver.reason);
    expect(model.solver.value.points).toHaveLength(11);
    close(model.solver.value.pearson.r, ref.pearson);
  });
});
