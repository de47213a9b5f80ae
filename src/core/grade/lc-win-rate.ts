/**
 * AlpacaEval 2.0's win rate and length-controlled win rate (Dubois et al., 2024;
 * `alpaca_eval/metrics/glm_winrate.py`). The LC win rate fits a logistic GLM of the preference
 * on `tanh(std_delta_len)` (length difference baseline minus model, over its standard
 * deviation) and predicts it at zero length difference. AlpacaEval's model also has an
 * instruction-difficulty term fitted on its leaderboard and a regularisation towards
 * "gamed" baselines; both need AlpacaEval's precomputed files, so this fit is the
 * length term plus an intercept. AlpacaEval picks an L1 strength by 5-fold CV; we use a fixed,
 * weak L2 penalty (C = 100, AlpacaEval's value when it does not cross-validate), which keeps
 * the fit finite when the model wins or loses everything.
 */

export interface PairwiseJudgement {
  /** Probability that the model's output beat the reference: 1 won, 0 lost, 0.5 tie. */
  readonly preference: number;
  readonly modelLength: number;
  readonly baselineLength: number;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * Logistic regression with soft labels in [0, 1] and an L2 penalty of |w|^2 / (2C), fitted by
 * Newton's method (the log-likelihood is concave, so a handful of steps converge). Columns of
 * `x` include the intercept if one is wanted.
 */
export function fitLogistic(x: readonly (readonly number[])[], y: readonly number[], c = 100, iterations = 50): number[] {
  const k = x[0]?.length ?? 0;
  const w = new Array<number>(k).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = w.map((wi) => wi / c);
    const hess = w.map((_, i) => w.map((__, j) => (i === j ? 1 / c : 0)));
    x.forEach((row, n) => {
      const p = sigmoid(row.reduce((s, v, i) => s + v * (w[i] ?? 0), 0));
      const r = p - (y[n] ?? 0);
      const v = p * (1 - p);
      for (let i = 0; i < k; i++) {
        grad[i] = (grad[i] ?? 0) + r * (row[i] ?? 0);
        const hi = hess[i] ?? [];
        for (let j = 0; j < k; j++) hi[j] = (hi[j] ?? 0) + v * (row[i] ?? 0) * (row[j] ?? 0);
      }
    });
    const step = solve(hess, grad);
    let size = 0;
    for (let i = 0; i < k; i++) {
      w[i] = (w[i] ?? 0) - (step[i] ?? 0);
      size = Math.max(size, Math.abs(step[i] ?? 0));
    }
    if (size < 1e-10) break;
  }
  return w;
}

/** Gaussian elimination with partial pivoting, for the tiny systems of the Newton step. */
function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]?.[col] ?? 0) > Math.abs(m[pivot]?.[col] ?? 0)) pivot = r;
    [m[col], m[pivot]] = [m[pivot] ?? [], m[col] ?? []];
    const pr = m[col] ?? [];
    const pv = pr[col] ?? 0;
    if (pv === 0) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = m[r] ?? [];
      const f = (row[col] ?? 0) / pv;
      for (let j = col; j <= n; j++) row[j] = (row[j] ?? 0) - f * (pr[j] ?? 0);
    }
  }
  return m.map((row, i) => ((row[i] ?? 0) === 0 ? 0 : (row[n] ?? 0) / (row[i] ?? 1)));
}

function std(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  // pandas' Series.std: the sample standard deviation (ddof = 1).
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
}

export interface WinRates {
  readonly winRate: number;
  readonly lengthControlledWinRate: number;
  readonly nWins: number;
  readonly nDraws: number;
  readonly nLosses: number;
  /** The fitted intercept and length coefficient. */
  readonly weights: readonly [number, number];
}

export function winRates(judgements: readonly PairwiseJudgement[]): WinRates {
  const n = judgements.length;
  if (n === 0) return { winRate: 0, lengthControlledWinRate: 0, nWins: 0, nDraws: 0, nLosses: 0, weights: [0, 0] };
  const winRate = (100 * judgements.reduce((s, j) => s + j.preference, 0)) / n;
  const delta = judgements.map((j) => j.baselineLength - j.modelLength);
  const sd = std(delta);
  const x = delta.map((d) => [1, Math.tanh(sd > 0 ? d / sd : 0)]);
  const [theta = 0, phi = 0] = fitLogistic(
    x,
    judgements.map((j) => j.preference),
  );
  return {
    winRate,
    lengthControlledWinRate: 100 * sigmoid(theta),
    nWins: judgements.filter((j) => j.preference > 0.5).length,
    nDraws: judgements.filter((j) => j.preference === 0.5).length,
    nLosses: judgements.filter((j) => j.preference < 0.5).length,
    weights: [theta, phi],
  };
}
