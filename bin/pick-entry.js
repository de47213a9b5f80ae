// Which code `agora` runs: the compiled dist/ when it is there and no source is newer than its
// build, the TypeScript sources through tsx otherwise. Plain JavaScript, because it decides
// before anything can be compiled; kept apart from bin/agora.js so tests can import it.
import fs from 'node:fs';
import path from 'node:path';

/** Where a build leaves its stamp; its mtime is the moment the build started (scripts/build.mjs). */
export const STAMP = path.join('dist', '.build-stamp');

/** The newest mtime (ms) of a file under `dir` that goes into the build (tests do not). */
function newestSource(dir) {
  let newest = { ms: 0, file: '' };
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'testing') continue;
      const sub = newestSource(full);
      if (sub.ms > newest.ms) newest = sub;
    } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
      const ms = fs.statSync(full).mtimeMs;
      if (ms > newest.ms) newest = { ms, file: full };
    }
  }
  return newest;
}

/**
 * `{ kind: 'dist', file }` or `{ kind: 'source', file, reason }` for the package at `root`.
 * A packed package has no src/: dist is all there is. AGORA_FROM_SOURCE=1 forces the sources.
 */
export function pickEntry(root, env = process.env) {
  const dist = { kind: 'dist', file: path.join(root, 'dist', 'cli', 'entry.js') };
  const source = (reason) => ({ kind: 'source', file: path.join(root, 'src', 'cli', 'entry.ts'), reason });
  const srcDir = path.join(root, 'src');
  if (!fs.existsSync(srcDir)) return dist;
  if (env.AGORA_FROM_SOURCE === '1') return source('AGORA_FROM_SOURCE=1');
  let stampMs;
  try {
    stampMs = fs.statSync(path.join(root, STAMP)).mtimeMs;
  } catch {
    return source('no build (npm run build)');
  }
  if (!fs.existsSync(dist.file)) return source('the build has no dist/cli/entry.js');
  const newest = newestSource(srcDir);
  if (newest.ms > stampMs) return source(`${path.relative(root, newest.file)} is newer than the build`);
  return dist;
}
