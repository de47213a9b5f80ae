import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer, type FakeLlmServer } from './support/fake-llm-server.js';
import { REPO_ROOT, tempDir, TSX_NODE_ARGS } from './support/temp-run.js';

// Start-up cost is mostly module loading: each command, and each provider, must load only what
// it uses. A resolve hook in the child lists every package it loads. Checked twice: on the
// sources (through tsx: the module graph as written) and on the build as it ships, where
// esbuild has bundled most packages into chunks (scripts/build.mjs): there a loaded chunk
// counts as loading every package its metafile says went into it.
const TRACE = ['--import', path.join(REPO_ROOT, 'test/fixtures/trace-packages.mjs')];
const HEAVY = ['ink', 'react', 'openai', '@anthropic-ai/sdk', 'zod', 'yaml', 'better-sqlite3'];

// The sources, whatever the state of the shared dist/ (bin/agora.js runs it when it is fresh).
async function packagesLoaded(nodeArgs: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const { stderr } = await promisify(execFile)(process.execPath, [...TRACE, ...nodeArgs], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CI: '1', AGORA_FROM_SOURCE: '1', ...env },
  });
  return [...stderr.matchAll(/^agora-trace: (\S+)$/gm)].map((m) => m[1]!);
}

const heavy = (pkgs: readonly string[]) => pkgs.filter((p) => HEAVY.includes(p)).sort();

let server: FakeLlmServer;
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  server = await startFakeLlmServer({ responder: agoraResponder({}) });
  ({ dir, cleanup } = tempDir('agora-startup-'));
});
afterAll(async () => {
  await server.close();
  cleanup();
});

describe('what start-up loads, from the sources', () => {
  const agora = path.join(REPO_ROOT, 'bin/agora.js');

  it('agora --help loads none of the heavy packages', async () => {
    const pkgs = await packagesLoaded([agora, '--help'], dir);
    expect(heavy(pkgs)).toEqual([]);
  });

  it('agora plan loads the config and the store, but no UI and no provider SDK', async () => {
    fs.writeFileSync(
      path.join(dir, 'agora.config.yaml'),
      `name: s\ninstancesPerCell: 5\nbudget: { usd: 1 }\ngenerators:\n  - { id: g, provider: openai-compatible, model: m, baseURL: "${server.openaiBaseURL}", price: { input: 1, output: 1 } }\nsettings: [math/instance]\n`,
    );
    const pkgs = await packagesLoaded([agora, 'plan'], dir);
    expect(heavy(pkgs)).toEqual(['better-sqlite3', 'yaml', 'zod']);
  });

  it('agora run --no-tui conducts without the UI or any provider SDK (its workers load those)', async () => {
    const runDir = fs.mkdtempSync(path.join(dir, 'run-'));
    fs.writeFileSync(
      path.join(runDir, 'agora.config.yaml'),
      `name: s\ninstancesPerCell: 2\nbudget: { usd: 50 }\ngenerators:\n  - { id: g, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", apiKeyEnv: TRACE_KEY, price: { input: 1, output: 1 } }\nsettings: [math/instance]\n`,
    );
    const before = server.stats.total;
    const pkgs = await packagesLoaded([agora, 'run', '--no-tui', '--stages', 'generate'], runDir, { TRACE_KEY: 'k' });
    expect(server.stats.total).toBeGreaterThan(before);
    expect(heavy(pkgs)).toEqual(['better-sqlite3', 'yaml', 'zod']);
  });

  it.each([
    ['openai-compatible', 'openai', '@anthropic-ai/sdk'],
    ['anthropic', '@anthropic-ai/sdk', 'openai'],
  ])('the %s provider loads its own SDK and not the other', async (provider, own, other) => {
    const baseURL = provider === 'anthropic' ? server.anthropicBaseURL : server.openaiBaseURL;
    const before = server.stats.total;
    const pkgs = await packagesLoaded([...TSX_NODE_ARGS, path.join(REPO_ROOT, 'test/fixtures/provider-first-request.ts'), provider, baseURL], REPO_ROOT);
    expect(server.stats.total).toBeGreaterThan(before);
    expect(pkgs).toContain(own);
    expect(pkgs).not.toContain(other);
  });
});

// The shipped build: built into a temp package folder (never the shared dist/). Every process of
// a run (the worker inherits NODE_OPTIONS) appends "PID URL" for each module it resolves.
const TRACE_FILES = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import fs from 'node:fs';
const seen = new Set();
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (!seen.has(r.url)) {
    seen.add(r.url);
    fs.appendFileSync(process.env.AGORA_TRACE_FILE, process.pid + ' ' + r.url + '\\\\n');
  }
  return r;
}\`));
`;

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

describe('what the bundled build loads', () => {
  let pkg: string;
  let meta: Metafile;
  let hook: string;
  beforeAll(async () => {
    pkg = path.join(dir, 'pkg');
    await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs'), path.join(pkg, 'dist')], { cwd: REPO_ROOT });
    fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(pkg, 'package.json'));
    fs.cpSync(path.join(REPO_ROOT, 'bin'), path.join(pkg, 'bin'), { recursive: true });
    for (const d of ['prompts', 'seeds', 'python', 'node_modules']) fs.symlinkSync(path.join(REPO_ROOT, d), path.join(pkg, d));
    meta = JSON.parse(fs.readFileSync(path.join(pkg, 'dist/bundle/meta.json'), 'utf8')) as Metafile;
    hook = path.join(dir, 'trace-files.mjs');
    fs.writeFileSync(hook, TRACE_FILES);
  }, 300_000);

  /** The packages each process loaded (by pid, in the order they started), chunks expanded to what went into them. */
  async function loadedByProcess(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Array<{ files: string[]; packages: string[] }>> {
    const traceFile = path.join(fs.mkdtempSync(path.join(dir, 'trace-')), 'trace.txt');
    await promisify(execFile)(process.execPath, [path.join(pkg, 'bin/agora.js'), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CI: '1', NODE_OPTIONS: `--import ${hook}`, AGORA_TRACE_FILE: traceFile, ...env },
    });
    const byPid = new Map<string, string[]>();
    for (const line of fs.readFileSync(traceFile, 'utf8').trim().split('\n')) {
      const [pid, url] = line.split(' ') as [string, string];
      if (!url.startsWith('file:')) continue;
      byPid.set(pid, [...(byPid.get(pid) ?? []), fileURLToPath(url)]);
    }
    const dist = path.join(pkg, 'dist');
    return [...byPid.values()].map((files) => {
      const packages = new Set<string>();
      for (const file of files) {
        const output = meta.outputs[path.relative(dist, file).split(path.sep).join('/')];
        for (const f of output ? Object.keys(output.inputs) : [file]) {
          const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f);
          if (m) packages.add(m[1]!);
        }
      }
      return { files, packages: [...packages] };
    });
  }

  it('agora --help loads none of the heavy packages', async () => {
    const [cli] = await loadedByProcess(['--help'], dir);
    expect(cli!.files).toContain(path.join(pkg, 'dist/bundle/cli/entry.js'));
    expect(heavy(cli!.packages)).toEqual([]);
  });

  it('agora plan loads the config and the store, but no UI and no provider SDK', async () => {
    const planDir = fs.mkdtempSync(path.join(dir, 'plan-'));
    fs.writeFileSync(
      path.join(planDir, 'agora.config.yaml'),
      `name: s\ninstancesPerCell: 5\nbudget: { usd: 1 }\ngenerators:\n  - { id: g, provider: openai-compatible, model: m, baseURL: "${server.openaiBaseURL}", price: { input: 1, output: 1 } }\nsettings: [math/instance]\n`,
    );
    const [cli] = await loadedByProcess(['plan'], planDir);
    expect(heavy(cli!.packages)).toEqual(['better-sqlite3', 'yaml', 'zod']);
  });

  it.each([
    ['openai-compatible', 'openai', '@anthropic-ai/sdk'],
    ['anthropic', '@anthropic-ai/sdk', 'openai'],
  ])('agora run --no-tui with an %s generator: the conductor loads no UI and no SDK, its bundled worker its own SDK only', async (provider, own, other) => {
    const runDir = fs.mkdtempSync(path.join(dir, 'run-'));
    const baseURL = provider === 'anthropic' ? server.anthropicBaseURL : server.openaiBaseURL;
    fs.writeFileSync(
      path.join(runDir, 'agora.config.yaml'),
      `name: s\ninstancesPerCell: 2\nbudget: { usd: 50 }\ngenerators:\n  - { id: g, provider: ${provider}, model: fake-model, baseURL: "${baseURL}", apiKeyEnv: TRACE_KEY, price: { input: 1, output: 1 } }\nsettings: [math/instance]\n`,
    );
    const before = server.stats.total;
    const processes = await loadedByProcess(['run', '--no-tui', '--stages', 'generate'], runDir, { TRACE_KEY: 'k' });
    expect(server.stats.total).toBeGreaterThan(before);
    const conductor = processes.find((p) => p.files.includes(path.join(pkg, 'bin/agora.js')));
    const worker = processes.find((p) => p.files.includes(path.join(pkg, 'dist/bundle/workers/generate/main.js')));
    expect(heavy(conductor!.packages)).toEqual(['better-sqlite3', 'yaml', 'zod']);
    expect(worker!.packages).toContain(own);
    expect(worker!.packages).not.toContain(other);
  });
});
