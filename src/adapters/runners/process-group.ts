import { readdir, readFile } from 'node:fs/promises';

/**
 * Liveness of a detached job's process group, as seen by any process (not only its parent).
 * With /proc we look at the members themselves: zombies do not count (a job re-parented to
 * an init that does not reap would otherwise look alive forever), and a leader whose command
 * line does not carry our marker is someone else's process that got the recycled PID.
 */

interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly pgrp: number;
}

function parseStat(text: string): ProcStat | undefined {
  // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
  const close = text.lastIndexOf(')');
  const pid = Number.parseInt(text, 10);
  const fields = text.slice(close + 2).split(' ');
  const pgrp = Number(fields[2]);
  if (close < 0 || !Number.isInteger(pid) || !Number.isInteger(pgrp) || !fields[0]) return undefined;
  return { pid, state: fields[0], pgrp };
}

async function procAvailable(): Promise<boolean> {
  try {
    return parseStat(await readFile('/proc/self/stat', 'utf8')) !== undefined;
  } catch {
    return false;
  }
}

let hasProc: Promise<boolean> | undefined;

async function liveMembers(pgid: number): Promise<number[]> {
  const members: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let st: ProcStat | undefined;
    try {
      st = parseStat(await readFile(`/proc/${name}/stat`, 'utf8'));
    } catch {
      continue; // exited while we looked
    }
    if (st && st.pgrp === pgid && st.state !== 'Z' && st.state !== 'X') members.push(st.pid);
  }
  return members;
}

async function leaderCarries(pgid: number, marker: string): Promise<boolean | undefined> {
  try {
    const cmdline = await readFile(`/proc/${pgid}/cmdline`, 'utf8');
    return cmdline.split('\0').some((arg) => arg.includes(marker));
  } catch {
    return undefined;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    if (code === 'EPERM') return true; // exists, owned by someone else
    throw e;
  }
}

/**
 * True while any live process of the group runs. `marker` (a string on the leader's command
 * line) guards against PID reuse after the leader is gone and its PID was handed out again.
 */
export async function groupAlive(pgid: number, marker?: string): Promise<boolean> {
  hasProc ??= procAvailable();
  if (!(await hasProc)) return signalGroup(pgid, 0);
  const members = await liveMembers(pgid);
  if (members.length === 0) return false;
  if (marker !== undefined && members.includes(pgid) && (await leaderCarries(pgid, marker)) === false) return false;
  return true;
}

/** Sends a signal to the whole group; false when it no longer exists. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  return signalGroup(pgid, signal);
}
