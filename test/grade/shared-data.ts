import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (this file is test/grade/shared-data.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The real benchmark files (see ../shared/data/README.md); tests skip when they are absent. */
export const dataDir = resolve(repoRoot, '../shared/data');

export function dataFile(...parts: string[]): string {
  return join(dataDir, ...parts);
}

/** True when the file is there; otherwise logs why the calling suite skips. */
export function haveData(...parts: string[]): boolean {
  const file = dataFile(...parts);
  const ok = existsSync(file);
  if (!ok) console.warn(`skipping: real data file ${file} is absent`);
  return ok;
}
