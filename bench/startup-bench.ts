// Start-up, the compiled build (bundled by esbuild, what ships) against the same build left as
// tsc's modules and the TypeScript sources through tsx, side by side in one run: `agora --help`
// as a ratio to `node -e 0`, and the time from spawning `agora run --no-tui` to the first
// request reaching the local fake server. Each build is made into a temp package folder (never
// the shared dist/), so it always matches the sources being measured.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agoraResponder } from '../test/support/agora-responder.js';
import { startFakeLlmServer } from '../test/support/fake-llm-server.js';
import { marksEnv, readMarks, type StartupMarks } from './startup-marks.js';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/**
 * A package folder as npm pack would ship it (dist, bin, prompts, seeds), using this checkout's
 * node_modules; `buildArgs` ['--no-bundle'] leaves tsc's modules unbundled.
 */
function compiledPackage(dir: string, name: string, buildArgs: readonly string[] = []): string {
  const pkg = path.join(dir, name);
  const built = spawnSync(process.execPath, [path.join(REPO, 'scripts/build.mjs'), path.join(pkg, 'dist'), ...buildArgs], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed');
  for (const f of ['bin', 'prompts', 'seeds', 'package.json']) fs.cpSync(path.join(REPO, f), path.join(pkg, f), { recursive: true });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(pkg, 'node_modules'));
  return path.join(pkg, 'bin/agora.js');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return performance.now() - t0;
}

interface FirstRequest extends StartupMarks {
  /** Milliseconds from spawning `agora run --no-tui` to the first request at the server. */
  readonly wall: number;
}

/** One `agora run --no-tui` to its first request (the run is then left to finish). */
async function firstRequest(agora: string, env: NodeJS.ProcessEnv, dir: string, baseURL: string, onFirst: { next?: () => void }): Promise<FirstRequest> {
  const runDir = fs.mkdtempSync(path.join(dir, 'run-'));
  fs.writeFileSync(
    path.join(runDir, 'agora.config.yaml'),
    `name: startup\ninstancesPerCell: 2\nbudget: { usd: 5 }\ngenerators:\n  - { id: g, provider: openai-compatible, model: fake-model, baseURL: "${baseURL}", apiKeyEnv: BENCH_KEY, price: { input: 1, output: 1 } }\nsettings: [math/instance]\n`,
  );
  const first = new Promise<number>((resolve) => (onFirst.next = () => resolve(performance.now())));
  const t0 = performance.now();
  const child = spawn(process.execPath, [agora, 'run', '--no-tui', '--stages', 'generate'], {
    cwd: runDir,
    env: { ...env, ...marksEnv(dir, path.join(runDir, 'marks.txt')), BENCH_KEY: 'k', CI: '1' },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const t1 = await Promise.race([first, exited.then((code) => Promise.reject(new Error(`agora run exited ${code} before any request`)))]);
  await exited;
  return { wall: t1 - t0, ...readMarks(path.join(runDir, 'marks.txt')) };
}

export async function benchStartup(opts: { quick?: boolean } = {}): Promise<Record<string, number | string>> {
  const reps = opts.quick ? 3 : 7;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-startup-bench-'));
  const onFirst: { next?: () => void } = {};
  const inner = agoraResponder({});
  const server = await startFakeLlmServer({
    responder: (req) => {
      const f = onFirst.next;
      onFirst.next = undefined;
      f?.();
      return inner(req);
    },
  });
  try {
    const compiled = compiledPackage(dir, 'pkg');
    const modules = compiledPackage(dir, 'pkg-modules', ['--no-bundle']);
    const source = path.join(REPO, 'bin/agora.js');
    const base = { ...process.env, NO_COLOR: '1' };
    const fromSource = { ...base, AGORA_FROM_SOURCE: '1' };
    const node0: number[] = [],
      helpDist: number[] = [],
      helpTsx: number[] = [],
      helpModules: number[] = [],
      firstDist: FirstRequest[] = [],
      firstModules: FirstRequest[] = [],
      firstTsx: FirstRequest[] = [];
    // Interleaved, so that load on the shared machine falls on every column alike.
    for (let i = 0; i < reps; i++) {
      node0.push(timeProcess(['-e', '0'], base));
      helpDist.push(timeProcess([compiled, '--help'], base));
      helpTsx.push(timeProcess([source, '--help'], fromSource));
      helpModules.push(timeProcess([modules, '--help'], base));
    }
    for (let i = 0; i < Math.max(2, Math.ceil(reps / 2)); i++) {
      firstDist.push(await firstRequest(compiled, base, dir, server.openaiBaseURL, onFirst));
      firstModules.push(await firstRequest(modules, base, dir, server.openaiBaseURL, onFirst));
      firstTsx.push(await firstRequest(source, fromSource, dir, server.openaiBaseURL, onFirst));
    }
    const ms = (x: number) => Math.round(x);
    const ratio = (x: number) => Number(x.toFixed(2));
    const wall = (xs: FirstRequest[]) => median(xs.map((x) => x.wall));
    const cpu = (xs: FirstRequest[], k: keyof StartupMarks) => ms(median(xs.map((x) => x[k])));
    return {
      'node -e 0 (median ms)': ms(median(node0)),
      'agora --help, compiled (median ms)': ms(median(helpDist)),
      'agora --help, tsx (median ms)': ms(median(helpTsx)),
      'agora --help, compiled unbundled (median ms)': ms(median(helpModules)),
      'agora --help / node -e 0, compiled (target <= 3)': ratio(median(helpDist) / median(node0)),
      'agora --help / node -e 0, tsx': ratio(median(helpTsx) / median(node0)),
      'agora run -> first request, compiled (median ms, target <= 1000)': ms(wall(firstDist)),
      'agora run -> first request, tsx (median ms)': ms(wall(firstTsx)),
      'first request, tsx / compiled': ratio(wall(firstTsx) / wall(firstDist)),
      // CPU time moves far less than the wall clock with the machine's load (startup-marks.ts).
      'compiled: conductor CPU to spawning the worker / worker CPU to its first request (median ms)': `${cpu(firstDist, 'conductorCpu')} / ${cpu(firstDist, 'workerCpu')}`,
      'agora run -> first request, compiled unbundled (tsc modules, median ms)': ms(wall(firstModules)),
      'unbundled: conductor CPU to spawn / worker CPU to first request (median ms)': `${cpu(firstModules, 'conductorCpu')} / ${cpu(firstModules, 'workerCpu')}`,
      'first request, unbundled / compiled': ratio(wall(firstModules) / wall(firstDist)),
      // The machine is shared: in units of a bare node start measured in the same run, the
      // figure carries over to a quiet machine (multiply by its `node -e 0`).
      'agora run -> first request, compiled, in node -e 0 starts': ratio(wall(firstDist) / median(node0)),
      runs: `${reps} x --help, ${firstDist.length} x run each`,
    };
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
