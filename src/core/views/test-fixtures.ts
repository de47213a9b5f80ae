import type { CellDetail, CellSnapshot, GeneratorSnapshot, RunSnapshot } from '../snapshot.js';
import { ALL_SETTINGS, type SettingId } from '../setting.js';

/** Handcrafted snapshots for tests and benches of the views and the dashboard. */

export const T0 = Date.UTC(2025, 0, 6, 12, 0, 0);

export function gen(id: string, price: [number, number], extra: Partial<GeneratorSnapshot> = {}): GeneratorSnapshot {
  return { id, provider: 'openai', model: id, price: { input: price[0], output: price[1] }, spentUsd: 0, reservedUsd: 0, orphanedUsd: 0, ...extra };
}

export function cell(id: number, generator: string, setting: SettingId, extra: Partial<CellSnapshot> = {}): CellSnapshot {
  return {
    id,
    generator,
    setting,
    stage: 'generate',
    state: 'pending',
    accepted: 0,
    target: 10_000,
    rejected: 0,
    costUsd: 0,
    gpuCostUsd: 0,
    updatedAt: T0,
    ...extra,
  };
}

export function scored(value: number | string): Partial<CellSnapshot> {
  const pgr = typeof value === 'number' ? { value } : { reason: value };
  return { stage: 'score', state: 'done', accepted: 10_000, scores: { benchmarks: {}, pgrByBenchmark: {}, pgr } };
}

/**
 * Three generators x nine settings. gpt-4o's row holds every state once, in setting order:
 * running generate, running train, running evaluate, done (PGR 55.8), failed, blocked,
 * budget-exhausted, cancelled, pending.
 */
export function allStatesRun(extra: Partial<RunSnapshot> = {}): RunSnapshot {
  const g = 'gpt-4o';
  const [mi, ci, ii, mr, cr, ir, mq, cq, iq] = ALL_SETTINGS as [SettingId, ...SettingId[]] & SettingId[];
  const cells: CellSnapshot[] = [
    cell(1, g, mi, { state: 'running', accepted: 1200, rejected: 35, costUsd: 1.23, progress: { stage: 'generate', accepted: 1200, target: 10_000 } }),
    cell(2, g, ci!, {
      stage: 'train',
      state: 'running',
      accepted: 10_000,
      costUsd: 12.5,
      progress: { stage: 'train', step: 120, totalSteps: 500, loss: 0.91 },
    }),
    cell(3, g, ii!, {
      stage: 'evaluate',
      state: 'running',
      accepted: 10_000,
      costUsd: 11,
      gpuCostUsd: 4,
      progress: { stage: 'evaluate', graded: 812, total: 1319 },
    }),
    cell(4, g, mr!, { ...scored(55.8), costUsd: 20, gpuCostUsd: 6 }),
    cell(5, g, cr!, { state: 'failed', accepted: 300, costUsd: 0.5, error: 'HTTP 500 from provider' }),
    cell(6, g, ir!, { state: 'blocked', error: 'OPENAI_API_KEY is not set' }),
    cell(7, g, mq!, { state: 'budget-exhausted', accepted: 4000, costUsd: 8 }),
    cell(8, g, cq!, { state: 'cancelled', accepted: 10 }),
    cell(9, g, iq!),
  ];
  const mini = 'gpt-4o-mini';
  ALL_SETTINGS.forEach((s, i) => {
    cells.push(
      cell(10 + i, mini, s, i === 0 ? { ...scored(25.3), costUsd: 0.6 } : i === 1 ? { ...scored('no baseline for mbpp') } : { state: 'failed', error: 'boom' }),
    );
  });
  const claude = 'claude-3.5-sonnet';
  ALL_SETTINGS.forEach((s, i) => {
    cells.push(cell(20 + i, claude, s, i === 0 ? { ...scored(30.1), costUsd: 9 } : i === 3 ? { ...scored(60.2), costUsd: 9 } : {}));
  });
  return {
    name: 'demo-sweep',
    runDir: '/tmp/runs/demo-sweep',
    budgetUsd: 1000,
    spentUsd: 90.23,
    reservedUsd: 4,
    orphanedUsd: 0,
    generators: [
      gen(g, [2.5, 10], { spentUsd: 53.23, reservedUsd: 4, capUsd: 400 }),
      gen(mini, [0.15, 0.6], { spentUsd: 0.6 }),
      gen(claude, [3, 15], { spentUsd: 18, capUsd: 300 }),
    ],
    settings: ALL_SETTINGS,
    cells,
    paused: false,
    readOnly: false,
    takenAt: T0 + 3_600_000,
    ...extra,
  };
}

export function detailFor(c: CellSnapshot, extra: Partial<CellDetail> = {}): CellDetail {
  return {
    cell: c,
    timeline: [
      { stage: 'generate', state: 'running', at: T0 },
      { stage: 'generate', state: 'done', at: T0 + 1_800_000 },
      { stage: 'train', state: 'running', at: T0 + 1_800_000 },
    ],
    rejectionsByReason: { 'missing [END]': 20, duplicate: 10, 'unparseable answer': 5 },
    tokensIn: 1_200_000,
    tokensOut: 3_400_000,
    calls: 1235,
    retries: 3,
    lastErrors: ['429 rate limited, retried after 2s'],
    logTail: ['step 119 loss 0.93', 'step 120 loss 0.91'],
    lossCurve: [2.4, 2.1, 1.8, 1.5, 1.3, 1.2, 1.1, 1.0, 0.95, 0.91],
    ...extra,
  };
}
