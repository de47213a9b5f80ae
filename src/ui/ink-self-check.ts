import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The files that patches/*.patch change (applied by patch-package in a checkout, by
 * scripts/patch-deps.mjs in an installed package) and the marker each patch leaves. The
 * dashboard works without them, but a week in tmux then grows Ink's caches without bound and
 * a frame costs several times more; so a missing marker is worth one line, never a crash.
 * src/ui/ink-patches.test.ts checks this list against the files the diffs name.
 */
export const INK_PATCH_MARKS: ReadonlyArray<{ readonly file: string; readonly mark: string }> = [
  { file: 'ink/build/measure-text.js', mark: '/* agora: bounded cache */' },
  { file: 'ink/build/wrap-text.js', mark: '/* agora: bounded wrap cache */' },
  { file: 'ink/build/render-node-to-output.js', mark: '/* agora: measured width */' },
  { file: 'string-width/index.js', mark: '/* agora: narrow fast path */' },
  { file: '@alcalzone/ansi-tokenize/build/tokenize.js', mark: '/* agora: simple segments */' },
  { file: '@alcalzone/ansi-tokenize/build/styledChars.js', mark: '/* agora: shared styles */' },
];

/**
 * Where Node finds `file` (a path under node_modules) from `from`: Ink's own nested copy
 * first, then every node_modules from here up (installed, agora's dependencies are hoisted
 * beside it).
 */
export function locateInNodeModules(file: string, from: string): string | undefined {
  const candidates = file.startsWith('ink/') ? [file] : [path.join('ink/node_modules', file), file];
  for (let dir = from; ; dir = path.dirname(dir)) {
    const found = candidates.map((c) => path.join(dir, 'node_modules', c)).find((f) => fs.existsSync(f));
    if (found || path.dirname(dir) === dir) return found;
  }
}

/** The patched files (as listed above) that are missing or lack their marker. */
export function missingInkPatches(from = path.dirname(fileURLToPath(import.meta.url))): string[] {
  return INK_PATCH_MARKS.filter(({ file, mark }) => {
    const found = locateInNodeModules(file, from);
    return !found || !fs.readFileSync(found, 'utf8').includes(mark);
  }).map(({ file }) => file);
}

/** One warning line on `stderr` when a patch is missing; never throws (a check must not stop the dashboard). */
export function warnIfInkUnpatched(stderr: NodeJS.WritableStream, from?: string): void {
  try {
    const missing = missingInkPatches(from);
    if (missing.length === 0) return;
    stderr.write(
      `agora: warning: Ink is running unpatched (${missing.join(', ')}); the dashboard works but slower and its caches grow. Reinstall agora (npm install runs its patches) to fix.\n`,
    );
  } catch {
    // Unreadable node_modules: nothing useful to say, and the dashboard still runs.
  }
}
