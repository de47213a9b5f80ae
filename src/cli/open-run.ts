import fs from 'node:fs';
import path from 'node:path';
import { loadConfigFile, resolveRunDir } from '../config/load-config.js';
import type { SweepConfig } from '../config/schema.js';
import { storeFile } from '../core/run-layout.js';
import { openStore, type Db } from '../store/open-store.js';
import type { Io } from './args.js';
import { UsageError } from './args.js';

export const DEFAULT_CONFIG = 'agora.config.yaml';

export interface RunHandle {
  readonly config: SweepConfig;
  readonly configFile: string;
  readonly runDir: string;
  readonly dbFile: string;
}

/** Loads and validates the sweep config (ConfigError on problems) and finds its run folder. */
export function locateRun(io: Io, configArg: string | undefined): RunHandle {
  const configFile = path.resolve(io.cwd, configArg ?? DEFAULT_CONFIG);
  const config = loadConfigFile(configFile);
  const runDir = resolveRunDir(config, configFile);
  return { config, configFile, runDir, dbFile: storeFile(runDir) };
}

/** Opens an existing run's store; a run that has never started is a usage error, not a crash. */
export function openExistingRun(run: RunHandle, opts: { readonly?: boolean } = {}): Db {
  if (!fs.existsSync(run.dbFile)) {
    throw new UsageError(`no run has started in ${run.runDir} yet: start one with \`agora run\``);
  }
  return openStore(run.dbFile, opts);
}
