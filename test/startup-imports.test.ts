import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer, type FakeLlmServer } from './support/fake-llm-server.js';
import { REPO_ROOT, tempDir, TSX_NODE_ARGS } from './support/temp-run.js';

// Start-up cost is mostly module loading: each command, and each provider, must load only what
// it uses. A resolve hook in the child lists every package it loads.
const TRACE = ['--import', path.join(REPO_ROOT, 'test/fixtures/trace-packages.mjs')];
const HEAVY = ['ink', 'react', 'openai', '@anthropic-ai/sdk', 'zod', 'yaml', 'better-sqlite3'];

async function packagesLoaded(nodeArgs: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const { stderr } = await promisify(execFile)(process.execPath, [...TRACE, ...nodeArgs], { cwd, env: { ...process.env, NO_COLOR: '1', CI: '1', ...env } });
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

describe('what start-up loads', () => {
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
