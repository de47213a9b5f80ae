import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/** The project root: the nearest folder above this file with agora's package.json (src/ or dist/ alike). */
export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'agora') return (cachedRoot = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the agora project root (package.json) above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export function defaultPromptsDir(root: string = projectRoot()): string {
  return path.join(root, 'prompts');
}

export function bundledSeedsDir(root: string = projectRoot()): string {
  return path.join(root, 'seeds');
}

/** Local copies of the public sets, when the machine has them (see ../shared/data/README.md). */
export function sharedDataDir(root: string = projectRoot()): string {
  return path.resolve(root, '../shared/data');
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The cache root when AGORA_CACHE_DIR is not set: `.cache/agora` in a checkout; in an installed
 * package (a folder inside node_modules, which npm replaces on update and may be read-only) the
 * user's cache, $XDG_CACHE_HOME/agora or ~/.cache/agora.
 */
export function defaultCacheRoot(root: string = projectRoot(), env: Env = process.env): string {
  if (!root.split(path.sep).includes('node_modules')) return path.join(root, '.cache/agora');
  return path.join(env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'agora');
}

/**
 * `AGORA_CACHE_DIR` (the agora cache root), else the default above: every process of a run
 * (the CLI from any folder, its workers from the project root) must find the same downloads.
 * Downloads go to its `hf/`.
 */
export function hfCacheDir(env: Env = process.env, cwd = process.cwd()): string {
  const root = env['AGORA_CACHE_DIR'] ? path.resolve(cwd, env['AGORA_CACHE_DIR']) : defaultCacheRoot(projectRoot(), env);
  return path.join(root, 'hf');
}

/** A path as shown in messages: relative to the working folder when inside it. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
