import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnFakeLlmServer } from '../test/support/fake-llm-server-process.js';
import { runAgora, startAgora, waitFor } from '../test/support/run-cli.js';
import { TtySession } from '../test/support/tty-session.js';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CLK_TCK = 100;

function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** The node process running the dashboard under `script`: the deepest `agora.js` descendant. */
function dashboardPid(root: number): number | undefined {
  const children = (pid: number): number[] => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    const cmd = fs.existsSync(`/proc/${pid}/cmdline`) ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
    if (cmd.includes('agora.js') && cmd.startsWith('node')) return pid;
    queue.push(...children(pid));
  }
  return undefined;
}

/**
 * The real dashboard in a pseudo-terminal, watching (read-only) a sweep whose 9 cells are
 * generating under a headless conductor: its CPU time over a window, as a share of one core.
 */
export async function benchDashboardCpu(opts: { seconds?: number } = {}): Promise<Record<string, number>> {
  const seconds = opts.seconds ?? 20;
  const server = await spawnFakeLlmServer({ responderModule: path.join(REPO, 'bench/bench-responder.ts'), latencyMs: 300 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-bench-cpu-'));
  const settings = '[math/instance, code/instance, inst/instance, math/response, code/response, inst/response, math/quality, code/quality, inst/quality]';
  fs.writeFileSync(
    path.join(dir, 'sweep.yaml'),
    `name: cpu\ninstancesPerCell: 100000\nbudget: { usd: 1000000 }\ngenerators:\n  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", price: { input: 1, output: 1 }, concurrency: 18 }\nsettings: ${settings}\ngeneration: { maxWorkers: 9 }\n`,
  );
  const conductor = startAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
  let tty: TtySession | undefined;
  try {
    const db = path.join(dir, 'runs/cpu/agora.db');
    await waitFor(() => (fs.existsSync(db) ? true : undefined), 'the run to start', 60_000);
    tty = new TtySession(['--config', 'sweep.yaml'], { cwd: dir });
    await tty.waitForText(/9 running/, 'the dashboard to show 9 running cells', 120_000);
    const pid = await waitFor(() => dashboardPid(tty!.child.pid!), 'the dashboard process');
    const t0 = cpuTicks(pid);
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpu = (cpuTicks(pid) - t0) / CLK_TCK;
    const wall = (performance.now() - w0) / 1000;
    return { 'dashboard CPU, % of one core (9 running cells)': Number(((100 * cpu) / wall).toFixed(2)), 'window, s': Number(wall.toFixed(1)) };
  } finally {
    tty?.press('q');
    await runAgora(['stop', '--config', 'sweep.yaml'], { cwd: dir });
    conductor.child.kill('SIGINT');
    await conductor.done;
    tty?.child.kill('SIGKILL');
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
