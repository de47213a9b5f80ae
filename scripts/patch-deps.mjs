// Small patches to Ink's text pipeline, run as npm's postinstall.
//
// In a checkout (patches/ and the patch-package dev dependency present) the diffs in patches/
// are applied by patch-package with --error-on-fail --error-on-warn: each diff names the exact
// package version it was made against, so an Ink (or string-width, ansi-tokenize) upgrade
// fails `npm install` / `npm ci` loudly until the diffs are remade (`npx patch-package ink`).
//
// In an installed package (`npm install agora`, no dev dependencies, no patches/) the same
// edits are made by the string replacements below, which warn instead of failing: the consumer's
// lockfile picks its own Ink patch release, patch-package would have to be a runtime dependency
// that only patches its own app root's node_modules (npm hoists Ink beside agora, not under
// it), and these patches bound memory and speed up frames: they never change what is drawn, so
// an install must not fail for them. The dashboard warns at start when one is missing
// (src/ui/ink-self-check.ts).
//
// Why: a week-long dashboard in tmux. Two caches in Ink 6 are never emptied
// (vadimdemedes/ink#986; the fix #987 was not merged): every distinct text ever measured,
// and every distinct text ever truncated, stay in memory. And a frame of a 20 x 9 matrix
// cost ~40 ms, mostly spent segmenting every character with Intl.Segmenter and copying
// style arrays; the fast paths below skip that only where the result is provably the same
// (see src/ui/ink-patches.test.ts, which checks each against the slow path and checks that
// these replacements, the diffs and the self-check name the same files).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Characters that are one column wide and never join a neighbour into one grapheme:
 * printable ASCII, the middle dot, dashes/quotes/bullets/ellipsis, arrows, mathematical
 * operators, box drawing, block elements, geometric shapes, dingbats and Braille patterns
 * (the spinner's dots), minus the few with emoji presentation (two columns wide: U+25FD,
 * U+25FE, U+2705, U+270A...). The body of a regular-expression character class; the test
 * checks every member against string-width's own slow path.
 */
export const NARROW_SIMPLE =
  '\\u0020-\\u007E\\u00B7\\u2010-\\u2027\\u2190-\\u22FF\\u2500-\\u25FC\\u25FF\\u2700-\\u2704\\u2706-\\u2709\\u270C-\\u2727\\u2729-\\u274B\\u274D\\u274F-\\u2752\\u2756\\u2758-\\u2794\\u2798-\\u27AF\\u27B1-\\u27BE\\u2800-\\u28FF';

/**
 * The first of `candidates` (paths under node_modules) that exists, preferring Ink's own copy,
 * looked for in every node_modules from agora's folder up, as Node resolves: installed as a
 * package, agora's dependencies are hoisted into the installing project's node_modules.
 */
function locate(...candidates) {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const found = candidates.map((c) => path.join(dir, 'node_modules', c)).find((f) => fs.existsSync(f));
    if (found || path.dirname(dir) === dir) return found;
  }
}

export const PATCHES = [
  {
    name: 'bound the text-measurement cache',
    file: () => locate('ink/build/measure-text.js'),
    mark: '/* agora: bounded cache */',
    from: '    cache.set(text, dimensions);',
    to: (m) => `    if (cache.size >= 4096) cache.clear(); ${m}\n    cache.set(text, dimensions);`,
  },
  {
    name: 'bound the truncation cache',
    file: () => locate('ink/build/wrap-text.js'),
    mark: '/* agora: bounded wrap cache */',
    from: 'const cache = {};',
    to: (m) => `let cache = {}; let cacheSize = 0; ${m}`,
    also: [['    cache[cacheKey] = wrappedText;', '    if (++cacheSize > 4096) { cache = {}; cacheSize = 1; }\n    cache[cacheKey] = wrappedText;']],
  },
  {
    name: 'reuse the measured width when drawing text',
    file: () => locate('ink/build/render-node-to-output.js'),
    mark: '/* agora: measured width */',
    from: '                const currentWidth = widestLine(text);',
    to: (m) => `                const currentWidth = measureText(text).width; ${m}`,
    also: [["import widestLine from 'widest-line';", "import widestLine from 'widest-line';\nimport measureText from './measure-text.js';"]],
  },
  {
    name: 'width fast path for one-column symbols',
    file: () => locate('ink/node_modules/string-width/index.js', 'string-width/index.js'),
    mark: '/* agora: narrow fast path */',
    from: '	if (/^[\\u0020-\\u007E]*$/.test(string)) {',
    to: (m) => `	if (/^[${NARROW_SIMPLE}]*$/.test(string)) { ${m}`,
  },
  {
    name: 'segment simple strings per code unit',
    file: () => locate('ink/node_modules/@alcalzone/ansi-tokenize/build/tokenize.js', '@alcalzone/ansi-tokenize/build/tokenize.js'),
    mark: '/* agora: simple segments */',
    from: '    for (const { segment, index } of segmenter.segment(str)) {',
    to: (m) => `    for (const { segment, index } of graphemes(str)) { ${m}`,
    also: [
      [
        'export function tokenize(',
        `const SIMPLE = /^[\\u001B${NARROW_SIMPLE}]*$/;\nfunction graphemes(str) {\n    if (!SIMPLE.test(str))\n        return segmenter.segment(str);\n    const out = new Array(str.length);\n    for (let index = 0; index < str.length; index++)\n        out[index] = { segment: str[index], index };\n    return out;\n}\nexport function tokenize(`,
      ],
    ],
  },
  {
    name: 'share style lists between characters',
    file: () => locate('ink/node_modules/@alcalzone/ansi-tokenize/build/styledChars.js', '@alcalzone/ansi-tokenize/build/styledChars.js'),
    mark: '/* agora: shared styles */',
    // reduceAnsiCodesIncremental returns a new array on every change and nothing mutates
    // `styles` afterwards, so one list can serve every character drawn in the same style.
    from: '            ret.push({\n                ...token,\n                styles: [...codes],\n            });',
    to: (m) => `            ret.push({ type: token.type, value: token.value, fullWidth: token.fullWidth, styles: codes }); ${m}`,
  },
];

/** Applies every patch that is not in yet; returns what happened to each, for the caller to print. */
export function applyPatches() {
  return PATCHES.map((p) => {
    const file = p.file();
    if (!file) return `${p.name}: file not found; skipped`;
    const src = fs.readFileSync(file, 'utf8');
    if (src.includes(p.mark)) return undefined;
    const edits = [[p.from, p.to(p.mark)], ...(p.also ?? [])];
    if (edits.some(([from]) => !src.includes(from))) return `${p.name}: ${path.relative(root, file)} has changed; not patched`;
    fs.writeFileSync(
      file,
      edits.reduce((s, [from, to]) => s.replace(from, () => to), src),
    );
    return `${p.name}: patched`;
  }).filter((line) => line !== undefined);
}

/** patch-package's entry in a checkout with dev dependencies and patches/, else undefined. */
function patchPackageBin() {
  const bin = path.join(root, 'node_modules/patch-package/index.js');
  return fs.existsSync(path.join(root, 'patches')) && fs.existsSync(bin) ? bin : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bin = patchPackageBin();
  if (bin) {
    const r = spawnSync(process.execPath, [bin, '--error-on-fail', '--error-on-warn'], { cwd: root, stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  for (const line of applyPatches()) console.log(`patch-deps: ${line}`);
}
