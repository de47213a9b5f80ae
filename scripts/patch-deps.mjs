// Bounds Ink's text-measurement cache. Ink 6 keeps the size of every distinct text it has ever
// laid out in a module-level Map that is never emptied (vadimdemedes/ink#986, the fix #987 was
// not merged). A dashboard redrawing changing progress for a week would grow by hundreds of
// megabytes; clearing the cache when it gets large costs one re-measure per text.
// Runs as npm's postinstall; idempotent; warns (does not fail) if Ink's code has moved on.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'node_modules/ink/build/measure-text.js');
const MARK = '/* agora: bounded cache */';
const FROM = '    cache.set(text, dimensions);';
const TO = `    if (cache.size >= 4096) cache.clear(); ${MARK}\n    cache.set(text, dimensions);`;

let src;
try {
  src = fs.readFileSync(file, 'utf8');
} catch {
  console.warn(`patch-ink: ${file} not found; skipped`);
  process.exit(0);
}
if (src.includes(MARK)) process.exit(0);
if (!src.includes(FROM)) {
  console.warn('patch-ink: Ink\'s measure-text.js has changed; its cache is left unbounded (check vadimdemedes/ink#986)');
  process.exit(0);
}
fs.writeFileSync(file, src.replace(FROM, TO));
console.log('patch-ink: bounded Ink\'s text-measurement cache');
