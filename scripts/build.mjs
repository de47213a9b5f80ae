// `npm run build`: compiles src/ (tests excluded, see tsconfig.build.json) into dist/, then
// stamps it. bin/agora.js runs dist/ only while every source is older than the stamp, so the
// stamp records when the build *started*: a source saved during the build makes dist stale.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(root, process.argv[2] ?? 'dist');
const started = new Date();
// No stale stamp while half the files are new, and no outputs of deleted sources.
fs.rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
const stamp = path.join(outDir, '.build-stamp');
fs.writeFileSync(stamp, `${started.toISOString()}\n`);
fs.utimesSync(stamp, started, started);
