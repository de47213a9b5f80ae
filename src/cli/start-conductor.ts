import fs from 'node:fs';
import path from 'node:path';
import type { Stage } from '../core/cell-state.js';
import { conductorLogFile } from '../core/run-layout.js';
import { missingKeyReason } from '../adapters/llm/api-key.js';
import { Conductor } from '../engine/conductor.js';
import { ConductorLock } from '../engine/conductor-lock.js';
import { buildDrivers } from '../engine/drivers.js';
import { openStore, type Db } from '../store/open-store.js';
import { setNotice, syncRunFromConfig } from '../store/run-repo.js';
import type { SweepConfig } from '../config/schema.js';
import { loadConfigFile } from '../config/load-config.js';
import type { Io } from './args.js';
import { locateRun, type RunHandle } from './open-run.js';
import { planSweep, storePlan, type SweepPlan } from './plan-store.js';
import { UsageError } from './args.js';
import { SeedDataError } from '../adapters/datasets/row-file.js';
import { HfError } from '../adapters/datasets/hf-http.js';

export interface ConductorSession {
  readonly run: RunHandle;
  readonly db: Db;
  /** Undefined when another process conducts this run: this one may only watch. */
  readonly conductor?: Conductor;
  readonly holderPid?: number;
  /** Ends conducting (waiting for the tick in flight), releases the lock, closes the store last. */
  close(): Promise<void>;
}

/**
 * Opens a run as its conductor if no live conductor holds it, else as a viewer. The config is
 * synced into the store only by a conductor: a viewer never writes.
 */
export async function startConductor(
  io: Io,
  opts: { configArg?: string; stages: readonly Stage[]; retryFailed?: boolean; echoLog?: boolean; onLostLock?: (why: string) => void },
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
  if (!claim.ok) return { run, db, holderPid: claim.holderPid, close: async () => void db.close() };
  const configDir = path.dirname(run.configFile);
  const applyConfig = async (config: SweepConfig, sweepPlan: SweepPlan) => {
    const blocked = new Map(config.generators.map((g) => [g.id, missingKeyReason(g, io.env)]));
    syncRunFromConfig(db, config, { blockedReasons: blocked, configDir });
    storePlan(db, sweepPlan);
    return buildDrivers(db, { ...run, config, unavailableSeeds: sweepPlan.unavailable }, io.env);
  };
  const drivers = await applyConfig(run.config, plan);
  // The conductor's own log goes to a file in the run folder (the dashboard owns the screen);
  // headless runs echo it to stderr as well.
  const logFile = conductorLogFile(run.runDir);
  const log = (l: string) => {
    const line = `${new Date().toISOString()} ${l}\n`;
    fs.appendFileSync(logFile, line);
    if (opts.echoLog) io.stderr.write(line);
  };
  let loadedMtime = mtimeOf(run.configFile);
  let conductor: Conductor | undefined;
  // Before a retry: the config as it is on disk now. What cannot apply to a running sweep
  // (another run folder) or does not load is said in the run's notice, and the retry goes on
  // with the config in use.
  const reloadConfig = async () => {
    const mtime = mtimeOf(run.configFile);
    if (mtime === loadedMtime) return;
    try {
      const config = loadConfigFile(run.configFile);
      if (config.name !== run.config.name || (config.runDir ?? null) !== (run.config.runDir ?? null)) {
        setNotice(db, `${path.basename(run.configFile)} now names another run folder: restart agora to use it (retries use the config as it was)`);
        return;
      }
      const next = await planSweep(config, configDir);
      conductor?.setDrivers(await applyConfig(config, next));
      loadedMtime = mtime;
      setNotice(db, undefined);
      log(`reloaded ${run.configFile} for a retry`);
    } catch (e) {
      setNotice(db, `${path.basename(run.configFile)} was not reloaded (${(e as Error).message}); retries use the config as it was`);
      log(`config not reloaded: ${(e as Error).message}`);
    }
  };
  conductor = new Conductor(db, {
    stages: opts.stages,
    drivers,
    log,
    reloadConfig,
    lock,
    onLostLock: (why) => {
      setNotice(db, undefined);
      opts.onLostLock?.(why);
    },
  });
  // Starting a run again is how a run stopped by `agora stop` goes on.
  const stopped = conductor.stoppedReason;
  if (stopped) {
    conductor.resume();
    log(`the run was ${stopped}; starting it again`);
  }
  // Reap first, so jobs that died while no conductor watched are found before resuming.
  await conductor.tick();
  const resumed = conductor.resumeOrphaned() + (opts.retryFailed ? await conductor.retryAllFailed() : 0);
  if (resumed > 0) log(`resuming ${resumed} cell${resumed === 1 ? '' : 's'} whose jobs had stopped`);
  // Between ticks too (a tick can wait on a slow runner): keeps the claim fresh, and a
  // conductor that finds it taken over steps down.
  const c = conductor;
  const refresh = setInterval(() => c.checkLock(), 5000);
  refresh.unref();
  return {
    run,
    db,
    conductor,
    close: async () => {
      clearInterval(refresh);
      await c.shutdown();
      if (!c.steppedDown) lock.release();
      db.close();
    },
  };
}

function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}
