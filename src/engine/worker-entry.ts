import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The stage workers that run as their own processes (src/workers/NAME/main.ts). */
export type WorkerName = 'generate' | 'evaluate';

export interface WorkerEntry {
  /** The script node runs. */
  readonly file: string;
  /** Node flags the script needs: tsx for TypeScript sources, none for the compiled build. */
  readonly nodeArgs: readonly string[];
}

/**
 * A worker runs the same kind of code as the process that starts it: compiled dist/ starts
 * dist/workers/NAME/main.js with plain node (no compiler at start-up), the sources start
 * src/workers/NAME/main.ts through tsx. Decided by this module's own URL, because dist/ and
 * src/ have the same layout below them.
 */
export function workerEntry(name: WorkerName, moduleUrl: string = import.meta.url): WorkerEntry {
  const here = path.dirname(fileURLToPath(moduleUrl));
  const compiled = moduleUrl.endsWith('.js');
  const file = path.join(here, '..', 'workers', name, compiled ? 'main.js' : 'main.ts');
  return { file, nodeArgs: compiled ? [] : ['--import', 'tsx'] };
}
