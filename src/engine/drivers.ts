import type { SweepConfig } from '../config/schema.js';
import type { Db } from '../store/open-store.js';
import { GenerateDriver } from './generate-driver.js';
import type { StageDriver } from './stage-driver.js';
import { TrainDriver } from './train-driver.js';

/** Every stage's driver for a run, as the conductor and `agora stop` use them. */
export async function buildDrivers(db: Db, runDir: string, config: SweepConfig, env: NodeJS.ProcessEnv): Promise<StageDriver[]> {
  return [new GenerateDriver(db, runDir, config, env), await TrainDriver.create(db, runDir, config)];
}
