// `npm run build`: compiles src/ (tests excluded, see tsconfig.build.json) into dist/, bundles
// what runs (the CLI and each stage worker) with esbuild, then stamps it. bin/agora.js runs dist/
// only while every source is older than the stamp, so the stamp records when the build
// *started*: a source saved during the build makes dist stale.
//
// Why bundle: start-up is mostly Node loading modules one by one (the conductor ~230, a worker
// ~340 before its first request); a bundle is a handful of files (see README, Benchmarks).
// tsc still compiles first: it type-checks, and esbuild then reads plain JavaScript.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `build.mjs [OUT_DIR] [--no-bundle]`: --no-bundle stops after tsc (the bench measures that
// build beside the bundled one).
const args = process.argv.slice(2);
const outDir = path.resolve(root, args.find((a) => !a.startsWith('--')) ?? 'dist');
const bundle = !args.includes('--no-bundle');
const started = new Date();
// No stale stamp while half the files are new, and no outputs of deleted sources.
fs.rmSync(outDir, { recursive: true, force: true });
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
if (bundle) await bundleEntries();
const stamp = path.join(outDir, '.build-stamp');
fs.writeFileSync(stamp, `${started.toISOString()}\n`);
fs.utimesSync(stamp, started, started);

async function bundleEntries() {
  // The entries: the CLI and every stage worker (src/workers/NAME/main.ts, started by path:
  // src/engine/worker-entry.ts), bundled together so that code they share is one chunk.
  const workers = fs
    .readdirSync(path.join(root, 'src/workers'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, 'src/workers', d.name, 'main.ts')))
    .map((d) => `workers/${d.name}/main.js`);
  const entries = ['cli/entry.js', ...workers];
  const bundleDir = path.join(outDir, 'bundle');
  const { build } = await import(require.resolve('esbuild'));
  const result = await build({
    absWorkingDir: outDir,
    entryPoints: entries.map((e) => path.join(outDir, e)),
    outbase: outDir,
    outdir: bundleDir,
    bundle: true,
    // Split chunks keep what the sources import on demand (commands, the UI, each provider SDK)
    // loaded on demand.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // A native addon, and Ink with React: npm patches files inside node_modules/ink (patches/,
    // src/ui/ink-self-check.ts), which a bundled copy would not see.
    external: ['better-sqlite3', 'ink', 'react'],
    // The output folder may be anywhere (the bench and the pack test build into a temp folder):
    // packages resolve from this checkout's node_modules.
    nodePaths: [path.join(root, 'node_modules')],
    // Bundled CommonJS dependencies call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __agoraRequire } from 'node:module'; const require = __agoraRequire(import.meta.url);" },
    // Unminified, so a stack trace names the function and the bundle keeps each module's path as a comment.
    minify: false,
    metafile: true,
    logLevel: 'warning',
  });
  // What each output holds, for test/startup-imports.test.ts (which packages load on which path).
  fs.writeFileSync(path.join(bundleDir, 'meta.json'), JSON.stringify(result.metafile));
  // The paths others start stay where they were (bin/agora.js, worker-entry.ts): each becomes a
  // one-line module importing its bundle.
  for (const e of entries) {
    const rel = path
      .relative(path.dirname(path.join(outDir, e)), path.join(bundleDir, e))
      .split(path.sep)
      .join('/');
    fs.writeFileSync(path.join(outDir, e), `import '${rel.startsWith('.') ? rel : `./${rel}`}';\n`);
  }
}
