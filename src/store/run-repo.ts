import { parseStoredConfig } from '../config/stored-config.js';
import type { SweepConfig } from '../config/schema.js';
import { usdToNano } from '../core/cost.js';
import { cellSettings } from '../core/run-config.js';
import type { Db } from './open-store.js';
import { conductorClaimSchema, stopMarkSchema, tryParseStored } from './stored-json.js';

export interface RunSyncOptions {
  /** Why a generator's cells cannot run (missing API key), by generator id. */
  readonly blockedReasons?: ReadonlyMap<string, string | undefined>;
  /** The config file's folder: relative paths in the config resolve from it in every process. */
  readonly configDir?: string;
}

/**
 * Makes the store match the config at each start: prices, caps and blocked reasons are taken
 * from the config (raising a cap there is how a budget-exhausted cell gets room to continue);
 * cells are created once and never reset, so their work survives. Targets are the plan's
 * (applyPlannedTargets): a new cell starts at instancesPerCell until the plan sets it.
 */
export function syncRunFromConfig(db: Db, config: SweepConfig, opts: RunSyncOptions = {}): void {
  const t = Date.now();
  db.transaction(() => {
    const setMeta = db.prepare(`INSERT INTO run_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    db.prepare(`INSERT OR IGNORE INTO run_meta (key, value) VALUES ('created_at', ?)`).run(String(t));
    setMeta.run('name', config.name);
    setMeta.run('config_json', JSON.stringify(config));
    if (opts.configDir) setMeta.run('config_dir', opts.configDir);
    setMeta.run('budget_nano', String(usdToNano(config.budget.usd)));
    db.prepare(`INSERT OR IGNORE INTO ledger (scope) VALUES ('*')`).run();

    const upsertGen = db.prepare(
      `INSERT INTO generators (id, provider, model, price_in, price_out, cap_nano, blocked_reason) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET provider = excluded.provider, model = excluded.model, price_in = excluded.price_in,
         price_out = excluded.price_out, cap_nano = excluded.cap_nano, blocked_reason = excluded.blocked_reason`,
    );
    const insertCell = db.prepare(`INSERT OR IGNORE INTO cells (generator, setting, target, updated_at) VALUES (?, ?, ?, ?)`);
    for (const g of config.generators) {
      const cap = config.budget.perGenerator?.[g.id];
      upsertGen.run(
        g.id,
        g.provider,
        g.model,
        g.price.input,
        g.price.output,
        cap === undefined ? null : usdToNano(cap),
        opts.blockedReasons?.get(g.id) ?? null,
      );
      db.prepare(`INSERT OR IGNORE INTO ledger (scope) VALUES (?)`).run(g.id);
      for (const s of cellSettings(config)) {
        insertCell.run(g.id, s, config.instancesPerCell, t);
      }
    }
  }).immediate();
}

export interface PlannedTarget {
  readonly generator: string;
  readonly setting: string;
  readonly target: number;
}

/**
 * Stores the plan's targets for cells that have not started generating (no job yet, nothing
 * accepted): a cell's target is fixed when it starts and never rewritten afterwards, by a
 * re-attaching conductor or by a worker. Until then it follows the plan, so a changed
 * instancesPerCell, or a seed set fetched since, reaches the cells not started.
 */
export function applyPlannedTargets(db: Db, targets: readonly PlannedTarget[]): void {
  const set = db.prepare(
    `UPDATE cells SET target = ? WHERE generator = ? AND setting = ? AND stage = 'generate' AND accepted = 0 AND target <> ?
       AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.cell_id = cells.id)`,
  );
  db.transaction(() => {
    for (const t of targets) set.run(t.target, t.generator, t.setting, t.target);
  }).immediate();
}

export function readMeta(db: Db, key: string): string | undefined {
  return db.prepare<[string], { value: string }>(`SELECT value FROM run_meta WHERE key = ?`).get(key)?.value;
}

export function writeMeta(db: Db, key: string, value: string): void {
  db.prepare(`INSERT INTO run_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(key, value);
}

/** What `agora stop` leaves in the store: the run launches nothing until it is started again. */
export interface StopMark {
  readonly at: number;
  readonly by: string;
}

/**
 * A mark that does not parse still stops the run (it was put there to stop it); who and when are
 * then the problem itself, so whoever reads why the run is stopped learns the mark is broken.
 */
export function readStopMark(db: Db): StopMark | undefined {
  const raw = readMeta(db, 'stopped');
  if (!raw) return undefined;
  const r = tryParseStored(stopMarkSchema, raw, "run_meta 'stopped'");
  return 'value' in r ? r.value : { at: 0, by: `an unreadable mark (${r.problem})` };
}

export function writeStopMark(db: Db, by: string): void {
  writeMeta(db, 'stopped', JSON.stringify({ at: Date.now(), by } satisfies StopMark));
}

/** A line the dashboard shows until it is cleared (a config that could not be reloaded). */
export function setNotice(db: Db, notice: string | undefined): void {
  if (notice === undefined) deleteMeta(db, 'notice');
  else writeMeta(db, 'notice', notice);
}

export function deleteMeta(db: Db, key: string): void {
  db.prepare(`DELETE FROM run_meta WHERE key = ?`).run(key);
}

export function readRunConfig(db: Db): SweepConfig {
  const json = readMeta(db, 'config_json');
  if (!json) throw new Error('this run folder has no configuration stored; start it with `agora run`');
  return parseStoredConfig(json, 'agora.db run_meta.config_json');
}

/** The generators of the run, in the config's order. */
export function listGenerators(db: Db): Array<{ id: string; model: string }> {
  return db.prepare<[], { id: string; model: string }>(`SELECT id, model FROM generators ORDER BY rowid`).all();
}

/** The conductor's claim on the run folder (engine/conductor-lock.ts): who holds it, and when they last said so. */
export interface ConductorClaim {
  readonly pid: number;
  readonly at: number;
}

/**
 * A claim that does not parse names no live process, so it holds nothing (as a stale claim): the
 * next conductor's claim replaces it, where a cast would have compared a string pid and thrown.
 */
export function readConductorClaim(db: Db): ConductorClaim | undefined {
  const row = db.prepare<[], { value: string }>(`SELECT value FROM run_meta WHERE key = 'conductor'`).get();
  if (!row) return undefined;
  const r = tryParseStored(conductorClaimSchema, row.value, "run_meta 'conductor'");
  return 'value' in r ? r.value : undefined;
}

export function writeConductorClaim(db: Db, claim: ConductorClaim): void {
  db.prepare(`INSERT INTO run_meta (key, value) VALUES ('conductor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(claim));
}

/** Drops the claim only if this process holds it. */
export function releaseConductorClaim(db: Db, pid: number): void {
  db.prepare(`DELETE FROM run_meta WHERE key = 'conductor' AND json_extract(value, '$.pid') = ?`).run(pid);
}
