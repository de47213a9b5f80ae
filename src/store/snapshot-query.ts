import type { CellState, Stage } from '../core/cell-state.js';
import { nanoToUsd } from '../core/cost.js';
import type { PlanBreakdown } from '../core/plan-breakdown.js';
import type { SettingId } from '../core/setting.js';
import type { CellDetail, CellScores, CellSnapshot, GeneratorSnapshot, RunSnapshot, StageProgress, TimelineEntry } from '../core/snapshot.js';
import type { CellRow } from './cell-repo.js';
import type { Db } from './open-store.js';

function parseJson<T>(s: string | null): T | undefined {
  if (!s) return undefined;
  try {
    return JSON.parse(s) as T;
  } catch {
    return undefined;
  }
}

function cellProgress(row: CellRow): StageProgress | undefined {
  if (row.stage === 'generate') return { stage: 'generate', accepted: row.accepted, target: row.target };
  return parseJson<StageProgress>(row.progress_json);
}

export function toCellSnapshot(row: CellRow): CellSnapshot {
  const progress = cellProgress(row);
  const scores = parseJson<CellScores>(row.scores_json);
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
    ...(row.error ? { error: row.error } : {}),
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

  constructor(private readonly db: Db) {
    this.cells = db.prepare<[], CellRow>(`SELECT * FROM cells ORDER BY id`);
    this.gens = db.prepare<[], { id: string; provider: string; model: string; price_in: number; price_out: number; cap_nano: number | null; blocked_reason: string | null; spent_nano: number | null; reserved_nano: number | null; orphaned_nano: number | null }>(
      `SELECT g.*, l.spent_nano, l.reserved_nano, l.orphaned_nano FROM generators g LEFT JOIN ledger l ON l.scope = g.id`,
    );
    this.runLedger = db.prepare<[], { spent_nano: number; reserved_nano: number; orphaned_nano: number }>(
      `SELECT spent_nano, reserved_nano, orphaned_nano FROM ledger WHERE scope = '*'`,
    );
    this.meta = db.prepare<[], { key: string; value: string }>(`SELECT key, value FROM run_meta WHERE key IN ('name', 'budget_nano', 'paused', 'plan_json', 'config_json', 'stopped', 'notice')`);
  }

  take(opts: { runDir: string; readOnly: boolean }): RunSnapshot {
    return this.db.transaction(() => {
      const meta = new Map(this.meta.all().map((r) => [r.key, r.value]));
      const config = parseJson<{ generators: Array<{ id: string }>; settings: SettingId[] }>(meta.get('config_json') ?? null);
      const genOrder = config?.generators.map((g) => g.id) ?? [];
      const settings = config?.settings ?? [];
      const inConfig = (g: string, s?: string) => genOrder.includes(g) && (s === undefined || settings.includes(s as SettingId));
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
      const ledger = this.runLedger.get() ?? { spent_nano: 0, reserved_nano: 0, orphaned_nano: 0 };
      // plan_json: the total (low/expected/high) and, since issue 12, its breakdown.
      const plan = parseJson<NonNullable<RunSnapshot['plannedUsd']> & { breakdown?: PlanBreakdown }>(meta.get('plan_json') ?? null);
      return {
        name: meta.get('name') ?? '',
        runDir: opts.runDir,
        budgetUsd: nanoToUsd(Number(meta.get('budget_nano') ?? 0)),
        spentUsd: nanoToUsd(ledger.spent_nano),
        reservedUsd: nanoToUsd(ledger.reserved_nano),
        orphanedUsd: nanoToUsd(ledger.orphaned_nano),
        generators,
        settings,
        cells: this.cells.all().filter((c) => inConfig(c.generator, c.setting)).map(toCellSnapshot),
        paused: meta.get('paused') === '1',
        ...stopAndNotice(meta),
        readOnly: opts.readOnly,
        ...(plan ? { plannedUsd: { low: plan.low, expected: plan.expected, high: plan.high } } : {}),
        ...(plan?.breakdown ? { planBreakdown: plan.breakdown } : {}),
        takenAt: Date.now(),
      };
    }).deferred();
  }
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

function stopAndNotice(meta: ReadonlyMap<string, string>): { stopped?: string; notice?: string } {
  const stop = parseJson<{ at: number; by: string }>(meta.get('stopped') ?? null);
  const notice = meta.get('notice');
  return {
    ...(stop ? { stopped: `stopped by ${stop.by} at ${new Date(stop.at).toISOString().slice(0, 16).replace('T', ' ')} UTC` } : {}),
    ...(notice ? { notice } : {}),
  };
}
