import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer, type FakeLlmServer } from './support/fake-llm-server.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';

// What `npm pack` ships, installed and run from another folder. The package is built into a
// temp folder (never into the shared dist/), packed with the project's own `files`, unpacked
// into a consumer's node_modules, and given the production dependencies only (linked from this
// checkout: a real `npm install` of the tarball works too, but compiles better-sqlite3 when its
// prebuilt binary cannot be downloaded, minutes on a shared machine). No tsx, no sources: what
// runs is the compiled build.
const run = promisify(execFile);
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

let tmp: { dir: string; cleanup: () => void };
let installed: string;
let shipped: string[];
let server: FakeLlmServer;

async function npm(args: readonly string[], cwd: string): Promise<string> {
  return (await run('npm', [...args], { cwd, maxBuffer: 64 << 20 })).stdout;
}

beforeAll(async () => {
  tmp = tempDir('agora-pack-');
  server = await startFakeLlmServer({ responder: agoraResponder({}) });
  const stage = path.join(tmp.dir, 'stage');
  await run(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs'), path.join(stage, 'dist')], { cwd: REPO_ROOT });
  // Everything `files` takes from the checkout besides dist/ (npm always adds package.json, README).
  const listed = JSON.parse(await npm(['pack', '--dry-run', '--json', '--ignore-scripts'], REPO_ROOT)) as Array<{ files: Array<{ path: string }> }>;
  for (const f of listed[0]!.files.map((x) => x.path).filter((p) => !p.startsWith('dist/'))) {
    fs.mkdirSync(path.dirname(path.join(stage, f)), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, f), path.join(stage, f));
  }
  const packed = JSON.parse(await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', tmp.dir], stage)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  shipped = packed[0]!.files.map((f) => f.path);
  const consumer = path.join(tmp.dir, 'consumer');
  installed = path.join(consumer, 'node_modules/agora');
  fs.mkdirSync(installed, { recursive: true });
  await run('tar', ['xzf', path.join(tmp.dir, packed[0]!.filename), '-C', installed, '--strip-components=1']);
  const prod = await npm(['ls', '--omit=dev', '--all', '--parseable'], REPO_ROOT);
  const top = new Set(
    prod
      .split('\n')
      .map((p) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)?.[1])
      .filter((n): n is string => n !== undefined),
  );
  for (const name of top) {
    fs.mkdirSync(path.dirname(path.join(consumer, 'node_modules', name)), { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', name), path.join(consumer, 'node_modules', name));
  }
  fs.mkdirSync(path.join(consumer, 'node_modules/.bin'));
  fs.symlinkSync('../agora/bin/agora.js', path.join(consumer, 'node_modules/.bin/agora'));
}, 300_000);

afterAll(async () => {
  await server?.close();
  tmp?.cleanup();
});

function agora(args: readonly string[], cwd: string) {
  return run(path.join(installed, '../.bin/agora'), [...args], { cwd, env: { ...process.env, NO_COLOR: '1', CI: '1', PACK_KEY: 'k' } }).catch(
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe('the packed package', () => {
  it('ships the compiled build, its launcher, prompts, seeds and Python scripts, and no sources or tests', () => {
    for (const f of [
      'bin/agora.js',
      'bin/pick-entry.js',
      'dist/cli/entry.js',
      'dist/workers/generate/main.js',
      'dist/workers/evaluate/main.js',
      'prompts/default/instance-math.txt',
      'seeds/manifest.json',
      'python/math_equiv.py',
      'python/sft/sft.py',
      'scripts/patch-deps.mjs',
    ]) {
      expect(shipped).toContain(f);
    }
    expect(shipped.filter((f) => f.startsWith('src/') || f.startsWith('test/') || /\.test\.|\/testing\/|test_.*\.py$|\.ts$/.test(f))).toEqual([]);
  });

  it('imports at run time only Node built-ins and its declared dependencies', () => {
    const declared = new Set(Object.keys(pkg.dependencies));
    const bare = new Set<string>();
    for (const f of shipped.filter((p) => /^dist\/.*\.js$/.test(p))) {
      const code = fs.readFileSync(path.join(installed, f), 'utf8');
      // tsc writes 'single' quotes, esbuild's bundles "double" ones.
      const specifiers = code.matchAll(
        /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm,
      );
      for (const m of specifiers) {
        const spec = m[1] ?? m[2] ?? m[3]!;
        if (!spec.startsWith('.') && !spec.startsWith('/')) bare.add(spec);
      }
    }
    const pkgName = (s: string) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
    const undeclared = [...bare].filter((s) => !s.startsWith('node:') && !builtinModules.includes(s) && !declared.has(pkgName(s)));
    expect(bare.size).toBeGreaterThan(3);
    expect(undeclared).toEqual([]);
  });

  it('runs `agora --help` and `agora plan` from another folder', async () => {
    const elsewhere = fs.mkdtempSync(path.join(tmp.dir, 'elsewhere-'));
    const help = await agora(['--help'], elsewhere);
    expect(help.stdout).toMatch(/^usage:/m);
    fs.writeFileSync(
      path.join(elsewhere, 'agora.config.yaml'),
      `name: packed\ninstancesPerCell: 3\nbudget: { usd: 5 }\ngenerators:\n  - { id: g, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", apiKeyEnv: PACK_KEY, price: { input: 1, output: 1 } }\nsettings: [math/instance]\n`,
    );
    const plan = await agora(['plan'], elsewhere);
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toMatch(/math\/instance/);
  });

  it('runs a sweep from another folder: its generate worker is the compiled one in the package', async () => {
    const elsewhere = fs.mkdtempSync(path.join(tmp.dir, 'run-'));
    fs.writeFileSync(
      path.join(elsewhere, 'agora.config.yaml'),
      `name: packed\ninstancesPerCell: 3\nbudget: { usd: 5 }\ngenerators:\n  - { id: g, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", apiKeyEnv: PACK_KEY, price: { input: 1, output: 1 } }\nsettings: [math/instance]\n`,
    );
    const before = server.stats.total;
    const r = await agora(['run', '--no-tui', '--stages', 'generate'], elsewhere);
    expect(r.stderr).not.toMatch(/Error/);
    expect(server.stats.total).toBeGreaterThan(before);
    const train = fs.readFileSync(path.join(elsewhere, 'runs/packed/g/math/instance/train.jsonl'), 'utf8');
    expect(train.trim().split('\n').length).toBeGreaterThanOrEqual(3);
  });

  it('its postinstall finds Ink where npm hoisted it, beside the package', async () => {
    const { stdout } = await run(process.execPath, [path.join(installed, 'scripts/patch-deps.mjs')], { cwd: installed });
    expect(stdout).not.toMatch(/not found/);
  });
});
