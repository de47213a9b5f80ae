import type { CellState, Stage } from '../core/cell-state.js';
import { callCostsSince, openReservationsNano } from './api-call-repo.js';
import { batchesAtProvider } from './batch-repo.js';
import { nanoToUsd } from '../core/cost.js';
import type { PlanBreakdown } from '../core/plan-breakdown.js';
import { parseSetting } from '../core/setting.js';
import { extraVariants } from '../core/run-config.js';
import type {
  CellDetail,
  CellSnapshot,
  EvaluationSpending,
  GeneratorSnapshot,
  RunSnapshot,
  StageProgress,
  SweepPace,
  TimelineEntry,
} from '../core/snapshot.js';
import type { CellRow } from './cell-repo.js';
import { cellErrorLine, readCellJson, readConfigPart, stoppedLine, type StoredConfigPart } from './snapshot-json.js';
import type { Db } from './open-store.js';

function parseJson<T>(s: string | null): T | undefined {
  if (!s) return undefined;
  try {
    return JSON.parse(s) as T;
  } catch {
    return undefined;
  }
}

export function toCellSnapshot(row: CellRow): CellSnapshot {
  const json = readCellJson(row);
  const progress: StageProgress | undefined = row.stage === 'generate' ? { stage: 'generate', accepted: row.accepted, target: row.target } : json.progress;
  const { scores } = json;
  const error = cellErrorLine(row, json.problems);
  return {
    id: row.id,
    generator: row.generator,
    setting: row.setting,
    stage: row.stage,
    state: row.state,
    accepted: row.accepted,
    target: row.target,
    rejected: row.rejected,
    dropped: row.dropped,
    costUsd: nanoToUsd(row.cost_nano),
    gpuCostUsd: nanoToUsd(row.gpu_cost_nano),
    ...(error ? { error } : {}),
    ...(progress ? { progress } : {}),
    ...(scores ? { scores } : {}),
    updatedAt: row.updated_at,
  };
}

/**
 * The dashboard's poll: a handful of queries over cells, generators and the ledger. It never
 * touches instances or calls, so its cost is O(cells) however large the run grows.
 */
export class SnapshotQuery {
  private readonly cells;
  private readonly gens;
  private readonly runLedger;
  private readonly meta;
  private readonly jobDurations;
  private readonly newestInstances;
  /** Running sums of the calls read so far (calls are append-only): each poll reads only new ones. */
  private readonly callSums = { lastId: 0, byCell: new Map<number, { generation: number; judge: number }>(), noCell: 0 };

  constructor(private readonly db: Db) {
    this.cells = db.prepare<[], CellRow>(`SELECT * FROM cells ORDER BY id`);
    this.gens = db.prepare<
      [],
      {
        id: string;
        provider: string;
        model: string;
        price_in: number;
        price_out: number;
        cap_nano: number | null;
        blocked_reason: string | null;
        spent_nano: number | null;
        reserved_nano: number | null;
        orphaned_nano: number | null;
      }
    >(`SELECT g.*, l.spent_nano, l.reserved_nano, l.orphaned_nano FROM generators g LEFT JOIN ledger l ON l.scope = g.id`);
    this.runLedger = db.prepare<[], { spent_nano: number; reserved_nano: number; orphaned_nano: number }>(
      `SELECT spent_nano, reserved_nano, orphaned_nano FROM ledger WHERE scope = '*'`,
    );
    this.meta = db.prepare<[], { key: string; value: string }>(
      `SELECT key, value FROM run_meta WHERE key IN ('name', 'budget_nano', 'paused', 'plan_json', 'config_json', 'stopped', 'notice')`,
    );
    this.jobDurations = db.prepare<[], { stage: Stage; jobs: number; mean_ms: number }>(
      `SELECT stage, COUNT(*) AS jobs, AVG(ended_at - started_at) AS mean_ms FROM jobs WHERE state = 'done' AND ended_at IS NOT NULL GROUP BY stage`,
    );
    // The newest instances by rowid: a bounded read however many the run holds.
    this.newestInstances = db.prepare<[number, number], { n: number; oldest: number | null }>(
      `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM (SELECT created_at FROM instances ORDER BY id DESC LIMIT ?) WHERE created_at >= ?`,
    );
  }

  private readCallSums(): void {
    const fresh = callCostsSince(this.db, this.callSums.lastId);
    for (const [id, c] of fresh.byCell) {
      const had = this.callSums.byCell.get(id) ?? { generation: 0, judge: 0 };
      this.callSums.byCell.set(id, { generation: had.generation + c.generation, judge: had.judge + c.judge });
    }
    this.callSums.noCell += fresh.noCell;
    this.callSums.lastId = fresh.lastId;
  }

  private evaluation(config: StoredConfigPart | undefined): EvaluationSpending {
    const r = openReservationsNano(this.db);
    const judge = judgeOf(config);
    return {
      ...(judge ? { judge } : {}),
      baselinesUsd: nanoToUsd(this.callSums.noCell),
      reserved: {
        generationByGenerator: Object.fromEntries([...r.generationByGenerator].map(([g, n]) => [g, nanoToUsd(n)])),
        judgeCellsUsd: nanoToUsd(r.judgeCells),
        baselinesUsd: nanoToUsd(r.baselines),
      },
    };
  }

  private pace(config: StoredConfigPart | undefined, now: number): SweepPace {
    const since = now - PACE_WINDOW_MS;
    const recent = this.newestInstances.get(PACE_MAX_INSTANCES, since) ?? { n: 0, oldest: null };
    // Over the time the counted instances span, not the whole window: a sweep started two
    // minutes ago, or a full sample, would otherwise read slower than it runs.
    const sinceAt = recent.oldest ?? since;
    const stageSeconds = Object.fromEntries(this.jobDurations.all().map((d) => [d.stage, { meanSeconds: d.mean_ms / 1000, jobs: d.jobs }]));
    const t = config?.train;
    const gpuSlots = t?.device === 'cpu' ? 1 : t?.runner === 'local' && t.gpus !== undefined ? Math.floor(t.gpus / (t.gpusPerJob ?? 4)) : undefined;
    return { recentAccepted: recent.n, sinceAt, stageSeconds, ...(gpuSlots ? { gpuSlots } : {}) };
  }

  take(opts: { runDir: string; readOnly: boolean }): RunSnapshot {
    return this.db
      .transaction(() => {
        const meta = new Map(this.meta.all().map((r) => [r.key, r.value]));
        const { value: config, problem: configProblem } = readConfigPart(meta.get('config_json'));
        const genOrder = config?.generators.map((g) => g.id) ?? [];
        const settings = config?.settings ?? [];
        const variants = config ? extraVariants(config) : [];
        const inConfig = (g: string, s?: string) => {
          if (!genOrder.includes(g)) return false;
          if (s === undefined) return true;
          const { id, variant } = parseSetting(s);
          return settings.includes(id) && (variant === undefined || variants.includes(variant));
        };
        const generators: GeneratorSnapshot[] = this.gens
          .all()
          .filter((g) => inConfig(g.id))
          .sort((a, b) => genOrder.indexOf(a.id) - genOrder.indexOf(b.id))
          .map((g) => ({
            id: g.id,
            provider: g.provider,
            model: g.model,
            price: { input: g.price_in, output: g.price_out },
            ...(g.cap_nano !== null ? { capUsd: nanoToUsd(g.cap_nano) } : {}),
            spentUsd: nanoToUsd(g.spent_nano ?? 0),
            reservedUsd: nanoToUsd(g.reserved_nano ?? 0),
            orphanedUsd: nanoToUsd(g.orphaned_nano ?? 0),
            ...(g.blocked_reason ? { blockedReason: g.blocked_reason } : {}),
          }));
        // A few rows at most (batches in flight), read with the cells so the two agree.
        const atProvider = batchesAtProvider(this.db);
        const ledger = this.runLedger.get() ?? { spent_nano: 0, reserved_nano: 0, orphaned_nano: 0 };
        // plan_json: the total (low/expected/high) and, since issue 12, its breakdown.
        const plan = parseJson<NonNullable<RunSnapshot['plannedUsd']> & { breakdown?: PlanBreakdown }>(meta.get('plan_json') ?? null);
        this.readCallSums();
        const now = Date.now();
        return {
          name: meta.get('name') ?? '',
          runDir: opts.runDir,
          budgetUsd: nanoToUsd(Number(meta.get('budget_nano') ?? 0)),
          spentUsd: nanoToUsd(ledger.spent_nano),
          reservedUsd: nanoToUsd(ledger.reserved_nano),
          orphanedUsd: nanoToUsd(ledger.orphaned_nano),
          generators,
          settings,
          ...(variants.length > 0 && { variants }),
          cells: this.cells
            .all()
            .filter((c) => inConfig(c.generator, c.setting))
            .map((c) => {
              const cell = withCostSplit(c, this.callSums.byCell.get(c.id));
              const b = atProvider.get(c.id);
              return b ? { ...cell, atProvider: b } : cell;
            }),
          paused: meta.get('paused') === '1',
          ...stopAndNotice(meta, configProblem),
          readOnly: opts.readOnly,
          ...(plan ? { plannedUsd: { low: plan.low, expected: plan.expected, high: plan.high } } : {}),
          ...(plan?.breakdown ? { planBreakdown: plan.breakdown } : {}),
          evaluation: this.evaluation(config),
          pace: this.pace(config, now),
          takenAt: now,
        };
      })
      .deferred();
  }
}

/** How far back the sweep's throughput is measured, and at most how many instances it reads. */
const PACE_WINDOW_MS = 10 * 60_000;
const PACE_MAX_INSTANCES = 1000;

function judgeOf(config: StoredConfigPart | undefined): EvaluationSpending['judge'] {
  const j = config?.evaluate?.judge;
  if (!j) return undefined;
  const g = typeof j.generator === 'string' ? config?.generators.find((x) => x.id === j.generator) : j.generator;
  if (!g) return undefined;
  return { id: g.id, model: j.model ?? g.model, price: j.price ?? g.price, isGenerator: typeof j.generator === 'string' };
}

function withCostSplit(row: CellRow, split: { generation: number; judge: number } | undefined): CellSnapshot {
  const judge = split?.judge ?? 0;
  // A cell's cost is the sum of its calls; anything else stays with generation.
  return { ...toCellSnapshot(row), generationCostUsd: nanoToUsd(row.cost_nano - judge), judgeCostUsd: nanoToUsd(judge) };
}

/** The store's part of a cell's detail; the engine adds the log tail and the loss curve. */
export function readCellDetail(db: Db, cellId: number): Omit<CellDetail, 'logTail' | 'lossCurve'> | undefined {
  const row = db.prepare<[number], CellRow>(`SELECT * FROM cells WHERE id = ?`).get(cellId);
  if (!row) return undefined;
  const timeline: TimelineEntry[] = db
    .prepare<[number], { stage: Stage | null; state: CellState | null; at: number; message: string | null }>(
      `SELECT stage, state, at, message FROM (SELECT * FROM events WHERE cell_id = ? ORDER BY id DESC LIMIT 40) ORDER BY id`,
    )
    .all(cellId)
    .filter((e) => e.stage && e.state)
    .map((e) => ({ stage: e.stage!, state: e.state!, at: e.at, ...(e.message ? { message: e.message } : {}) }));
  const reasons = db.prepare<[number], { reason: string; n: number }>(`SELECT reason, n FROM rejection_counts WHERE cell_id = ?`).all(cellId);
  const errors = db
    .prepare<[number], { error: string; created_at: number }>(
      `SELECT error, created_at FROM api_calls WHERE cell_id = ? AND outcome <> 'ok' AND error IS NOT NULL ORDER BY id DESC LIMIT 5`,
    )
    .all(cellId)
    .map((e) => e.error);
  if (row.error && !errors.includes(row.error)) errors.unshift(row.error);
  return {
    cell: toCellSnapshot(row),
    timeline,
    rejectionsByReason: Object.fromEntries(reasons.map((r) => [r.reason, r.n])),
    tokensIn: row.tokens_in,
    tokensOut: row.tokens_out,
    calls: row.calls,
    retries: row.retries,
    lastErrors: errors.slice(0, 5),
  };
}

function stopAndNotice(meta: ReadonlyMap<string, string>, configProblem: string | undefined): { stopped?: string; notice?: string } {
  const stopped = stoppedLine(meta.get('stopped'));
  const notice = [meta.get('notice'), configProblem].filter((n) => n).join('; ');
  return {
    ...(stopped ? { stopped } : {}),
    ...(notice ? { notice } : {}),
  };
}
