// What `agora run` spends before its first request, as CPU time rather than wall time: on the
// shared 2-core machine the wall clock swings by a second with the load, while a process's
// own CPU time moves far less, so a change of tens of milliseconds shows in a few runs.
// A preload (NODE_OPTIONS, so the worker the conductor starts loads it too) writes each
// process's CPU time when the conductor spawns its worker and when the worker sends its
// first HTTP request (undici's diagnostics channel, which fetch and so both SDKs go through).
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
