import path from 'node:path';
import { projectRoot } from '../adapters/datasets/paths.js';

/** The stage workers that run as their own processes (src/workers/NAME/main.ts). */
export type WorkerName = 'generate' | 'evaluate' | 'metrics';

export interface WorkerEntry {
  /** The script node runs. */
  readonly file: string;
  /** Node flags the script needs: tsx for TypeScript sources, none for the compiled build. */
  readonly nodeArgs: readonly string[];
}

/**
 * A worker runs the same kind of code as the process that starts it: the compiled build starts
 * dist/workers/NAME/main.js with plain node (no compiler at start-up), the sources start
 * src/workers/NAME/main.ts through tsx. Decided by this module's own URL (a .js file is the
 * build, wherever the bundler put it).
 */
export function workerEntry(name: WorkerName, moduleUrl: string = import.meta.url, root: string = projectRoot()): WorkerEntry {
  const compiled = moduleUrl.endsWith('.js');
  const file = compiled ? path.join(root, 'dist', 'workers', name, 'main.js') : path.join(root, 'src', 'workers', name, 'main.ts');
  return { file, nodeArgs: compiled ? [] : ['--import', 'tsx'] };
}
