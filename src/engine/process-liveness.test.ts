import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isOurWorker } from './process-liveness.js';

const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach((c) => c.kill('SIGKILL')));

const start = (args: string[]) => {
  // A process that only waits, named like a worker or not by its arguments.
  const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', ...args], { stdio: 'ignore' });
  children.push(c);
  return c.pid!;
};

describe('isOurWorker', () => {
  it.skipIf(!fs.existsSync('/proc/self/cmdline'))('knows a worker by the job id on its command line, not by its PID alone', () => {
    const worker = start(['src/workers/generate/main.ts', '--run-dir', '/tmp/x', '--job', '7']);
    const stranger = start(['something-else', '--job', '7']);
    const fresh = { heartbeat_at: Date.now() };
    expect(isOurWorker(worker, { id: 7, ...fresh })).toBe(true);
    // The PID was recycled by a later job's worker, or by anything else.
    expect(isOurWorker(worker, { id: 8, ...fresh })).toBe(false);
    expect(isOurWorker(stranger, { id: 7, ...fresh })).toBe(false);
  });

  it('a PID with no process is never ours', () => {
    const pid = start([]);
    children[0]!.kill('SIGKILL');
    expect(isOurWorker(null, { id: 1, heartbeat_at: Date.now() })).toBe(false);
    return new Promise<void>((resolve) =>
      children[0]!.on('exit', () => {
        expect(isOurWorker(pid, { id: 1, heartbeat_at: Date.now() })).toBe(false);
        resolve();
      }),
    );
  });
});
