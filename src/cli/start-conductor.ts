import fs from 'node:fs';
import path from 'node:path';
import type { Stage } from '../core/cell-state.js';
import { missingKeyReason } from '../adapters/llm/api-key.js';
import { Conductor } from '../engine/conductor.js';
import { ConductorLock } from '../engine/conductor-lock.js';
import { buildDrivers } from '../engine/drivers.js';
import { openStore, type Db } from '../store/open-store.js';
import { syncBudgetFromConfig, syncRunFromConfig } from '../store/run-repo.js';
import { loadConfigFile } from '../config/load-config.js';
import type { Io } from './args.js';
import { locateRun, type RunHandle } from './open-run.js';
import { planSweep, storePlan } from './plan-store.js';
import { UsageError } from './args.js';
import { SeedDataError } from '../adapters/datasets/row-file.js';
import { HfError } from '../adapters/datasets/hf-http.js';

export interface ConductorSession {
  readonly run: RunHandle;
  readonly db: Db;
  /** Undefined when another process conducts this run: this one may only watch. */
  readonly conductor?: Conductor;
  readonly holderPid?: number;
  close(): void;
}

/**
 * Opens a run as its conductor if no live conductor holds it, else as a viewer. The config is
 * synced into the store only by a conductor: a viewer never writes.
 */
export async function startConductor(
  io: Io,
  opts: { configArg?: string; stages: readonly Stage[]; retryFailed?: boolean; echoLog?: boolean },
): Promise<ConductorSession> {
  const run = locateRun(io, opts.configArg);
  // Seeds and prompts are read before anything is written: a bad seed file is an error that
  // names its file and line, and leaves no run folder behind.
  const plan = await planSweep(run.config, path.dirname(run.configFile)).catch((e: unknown) => {
    if (e instanceof SeedDataError || e instanceof HfError) throw new UsageError(`seeds: ${e.message}`);
    throw e;
  });
  const db = openStore(run.dbFile);
  const lock = new ConductorLock(db);
  const claim = lock.tryAcquire();
  if (!claim.ok) return { run, db, holderPid: claim.holderPid, close: () => db.close() };
  const blocked = new Map(run.config.generators.map((g) => [g.id, missingKeyReason(g, io.env)]));
  syncRunFromConfig(db, run.config, { blockedReasons: blocked, configDir: path.dirname(run.configFile) });
  const drivers = await buildDrivers(db, { ...run, unavailableSeeds: plan.unavailable }, io.env);
  // The conductor's own log goes to a file in the run folder (the dashboard owns the screen);
  // headless runs echo it to stderr as well.
  const logFile = path.join(run.runDir, 'conductor.log');
  const log = (l: string) => {
    const line = `${new Date().toISOString()} ${l}\n`;
    fs.appendFileSync(logFile, line);
    if (opts.echoLog) io.stderr.write(line);
  };
  storePlan(db, plan);
  const reloadBudget = () => {
    try {
      syncBudgetFromConfig(db, loadConfigFile(run.configFile));
    } catch (e) {
      log(`budget not reloaded: ${(e as Error).message}`);
    }
  };
  const conductor = new Conductor(db, { stages: opts.stages, drivers, log, reloadBudget });
  // Reap first, so jobs that died while no conductor watched are found before resuming.
  await conductor.tick();
  const resumed = conductor.resumeOrphaned() + (opts.retryFailed ? conductor.retryAllFailed() : 0);
  if (resumed > 0) log(`resuming ${resumed} cell${resumed === 1 ? '' : 's'} whose jobs had stopped`);
  const refresh = setInterval(() => lock.refresh(), 5000);
  refresh.unref();
  return {
    run,
    db,
    conductor,
    close: () => {
      clearInterval(refresh);
      lock.release();
      db.close();
    },
  };
}
