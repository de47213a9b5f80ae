import { spawn } from 'node:child_process';

export interface NetIsolation {
  /** Command prefix that runs a program without network, empty when none works here. */
  readonly prefix: readonly string[];
  readonly isolated: boolean;
  readonly note: string;
}

let detected: Promise<NetIsolation> | undefined;

function tryRun(cmd: string, args: readonly string[]): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => resolve({ ok: false, detail: err.message }));
    child.on('close', (code) => resolve({ ok: code === 0, detail: stderr.trim() || `exit ${code}` }));
  });
}

/**
 * Whether `unshare -rn` (a new user and network namespace: only a downed loopback inside)
 * works here. Containers often forbid user namespaces; then programs run with the host's
 * network, and the note says so. Detected once per process.
 */
export function detectNetIsolation(): Promise<NetIsolation> {
  detected ??= (async (): Promise<NetIsolation> => {
    if (process.platform !== 'linux') return { prefix: [], isolated: false, note: `no network isolation on ${process.platform}` };
    const probe = await tryRun('unshare', ['-rn', 'true']);
    if (probe.ok) return { prefix: ['unshare', '-rn'], isolated: true, note: 'network isolated with unshare -rn' };
    return { prefix: [], isolated: false, note: `network NOT isolated: unshare -rn failed (${probe.detail})` };
  })();
  return detected;
}
