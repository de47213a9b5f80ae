import path from 'node:path';
import type { ResolveSeedsOptions } from '../adapters/datasets/seed-resolver.js';
import type { SweepConfig } from '../config/schema.js';
import { REPO_ROOT } from './worker-runtime.js';

/**
 * How every process of a run finds its seeds: relative paths in the config from the config's
 * folder (not from wherever a worker happens to run), the paper's full sets when asked.
 */
export function seedOptions(config: SweepConfig, configDir: string): ResolveSeedsOptions {
  // Offline: starting a sweep never waits on a download; `agora seeds fetch` downloads.
  return { repoRoot: REPO_ROOT, baseDir: path.resolve(configDir), full: config.seedSets === 'paper', hf: { offline: true } };
}
