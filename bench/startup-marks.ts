// What `agora run` spends before its first request, as CPU time rather than wall time: on the
// shared 2-core machine the wall clock swings by a second with the load, while a process's
// own CPU time moves far less, so a change of tens of milliseconds shows in a few runs.
// A preload (NODE_OPTIONS, so the worker the conductor starts loads it too) writes each
// process's CPU time when the conductor spawns its worker and when the worker sends its
// first HTTP request (undici's diagnostics channel, which fetch and so both SDKs go through).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PRELOAD = `
import cp from 'node:child_process';
import dc from 'node:diagnostics_channel';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const file = process.env.AGORA_BENCH_MARKS;
const mark = (what) => {
  const u = process.cpuUsage();
  if (file) fs.appendFileSync(file, what + ' ' + (u.user + u.system) / 1000 + ' ' + performance.now() + '\\n');
};
let spawned = false;
const spawn = cp.spawn;
cp.spawn = function (...args) {
  if (!spawned && String(args[1]?.join(' ')).includes('workers')) {
    spawned = true;
    mark('spawn');
  }
  return spawn.apply(this, args);
};
syncBuiltinESMExports();
let requested = false;
dc.subscribe('undici:request:create', () => {
  if (!requested) {
    requested = true;
    mark('request');
  }
});
`;

/** Writes the preload into `dir`; returns the env that makes both processes load it and record into `marksFile`. */
export function marksEnv(dir: string, marksFile: string): NodeJS.ProcessEnv {
  const preload = path.join(dir, 'startup-marks.mjs');
  if (!fs.existsSync(preload)) fs.writeFileSync(preload, PRELOAD);
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`.trim(), AGORA_BENCH_MARKS: marksFile };
}

export interface StartupMarks {
  /** The conductor's CPU ms (node's own start included) when it spawns the cell's worker. */
  readonly conductorCpu: number;
  /** The worker's CPU ms when it sends its first request. */
  readonly workerCpu: number;
}

export function readMarks(marksFile: string): StartupMarks {
  const lines = fs
    .readFileSync(marksFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '));
  const cpuOf = (what: string) => {
    const line = lines.find((l) => l[0] === what);
    if (!line) throw new Error(`no "${what}" mark in ${marksFile}`);
    return Number(line[1]);
  };
  return { conductorCpu: cpuOf('spawn'), workerCpu: cpuOf('request') };
}

/**
 * A copy of the compiled package whose CLI entry and generate worker are each bundled into
 * one file by esbuild (the copy tsx installs), Ink and React left outside so their patches
 * still apply: how much of start-up is loading ~200 modules one by one. Measured beside the
 * shipped build; the build itself does not bundle.
 */
export function bundledPackage(pkg: string, repo: string): string {
  const out = `${pkg}-bundled`;
  fs.cpSync(pkg, out, { recursive: true, verbatimSymlinks: true });
  const esbuild = path.join(repo, 'node_modules/.bin/esbuild');
  // Bundled CommonJS dependencies call require(); an ES module has none of its own.
  const banner = "import { createRequire as __agoraRequire } from 'node:module'; const require = __agoraRequire(import.meta.url);";
  const common = [
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=node20',
    '--external:better-sqlite3',
    '--log-level=warning',
    `--banner:js=${banner}`,
  ];
  const run = (args: string[]) => {
    const r = spawnSync(esbuild, [...common, ...args], { cwd: out, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`esbuild ${args[0]} failed`);
  };
  const worker = 'dist/workers/generate/main.js';
  fs.renameSync(path.join(out, worker), path.join(out, 'dist/workers/generate/main.modules.js'));
  run(['dist/workers/generate/main.modules.js', `--outfile=${worker}`]);
  // The CLI imports its commands and the UI on demand: split chunks keep that lazy.
  run(['dist/cli/entry.js', '--splitting', '--external:ink', '--external:react', '--outdir=dist/cli-bundle']);
  fs.writeFileSync(path.join(out, 'dist/cli/entry.js'), "import '../cli-bundle/entry.js';\n");
  return path.join(out, 'bin/agora.js');
}
