import path from 'node:path';
import type { SweepConfig } from '../config/schema.js';
import type { Db } from '../store/open-store.js';
import { EvaluateDriver } from './evaluate-driver.js';
import { GenerateDriver } from './generate-driver.js';
import { MetricsDriver } from './metrics-driver.js';
import { ScoreDriver } from './score-driver.js';
import type { StageDriver } from './stage-driver.js';
import { TrainDriver } from './train-driver.js';

export interface DriverRun {
  readonly runDir: string;
  readonly config: SweepConfig;
  /** Relative data files, caches and checkpoints in the config resolve from its folder. */
  readonly configFile: string;
  /** Settings whose seed set is missing, with the reason: their generation is blocked. */
  readonly unavailableSeeds?: ReadonlyMap<string, string>;
}

/** Every stage's driver for a run, as the conductor and `agora stop` use them. */
export async function buildDrivers(db: Db, run: DriverRun, env: NodeJS.ProcessEnv): Promise<StageDriver[]> {
  const baseDir = path.dirname(path.resolve(run.configFile));
  return [
    new GenerateDriver(db, run.runDir, run.config, env, run.unavailableSeeds),
    await TrainDriver.create(db, run.runDir, run.config),
    new EvaluateDriver(db, run.runDir, run.config, env, { baseDir }),
    new ScoreDriver(db, run.runDir, run.config, env, { baseDir }),
    // Only with a `metrics:` section: without one the stage has no driver and cells end at score.
    ...(run.config.metrics ? [new MetricsDriver(db, run.runDir, run.config, env, { baseDir })] : []),
  ];
}
