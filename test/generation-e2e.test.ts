import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.js';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer, type FakeLlmServer } from './support/fake-llm-server.js';
import { runAgora } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';

const SECRET = 'sk-test-SECRET-never-stored-0123456789';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function setup(configBody: (s: FakeLlmServer) => string) {
  const server = await startFakeLlmServer({ responder: agoraResponder({ badEvery: 5 }) });
  cleanups.push(() => server.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  const configFile = path.join(t.dir, 'sweep.yaml');
  fs.writeFileSync(configFile, configBody(server));
  return { server, dir: t.dir, configFile };
}

function readStatus(dir: string) {
  const db = openStore(path.join(dir, 'runs/e2e/agora.db'), { readonly: true });
  try {
    return {
      cells: db.prepare(`SELECT generator, setting, stage, state, accepted, target, rejected, cost_nano, error FROM cells ORDER BY id`).all() as Array<
        Record<string, unknown>
      >,
      ledger: db.prepare(`SELECT spent_nano, reserved_nano FROM ledger WHERE scope = '*'`).get() as { spent_nano: number; reserved_nano: number },
      callSum: (db.prepare(`SELECT SUM(cost_nano) AS s FROM api_calls`).get() as { s: number }).s,
      openReservations: (db.prepare(`SELECT COUNT(*) AS n FROM reservations`).get() as { n: number }).n,
      duplicates: (
        db.prepare(`SELECT COUNT(*) AS n FROM (SELECT cell_id, seq FROM instances GROUP BY cell_id, seq HAVING COUNT(*) > 1)`).get() as { n: number }
      ).n,
    };
  } finally {
    db.close();
  }
}

describe('generation end to end (real SDKs, fake server, worker processes)', () => {
  it('fills every runnable cell with exactly N instances, blocks a generator without its key, and accounts every cent', async () => {
    const { dir, configFile } = await setup(
      (s) => `
name: e2e
instancesPerCell: 12
budget: { usd: 50 }
generators:
  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${s.openaiBaseURL}", apiKeyEnv: E2E_OSS_KEY, price: { input: 1, output: 2 }, concurrency: 4 }
  - { id: claude, provider: anthropic, model: fake-model, baseURL: "${s.anthropicBaseURL}", apiKeyEnv: E2E_ANTHROPIC_KEY, price: { input: 3, output: 15 }, concurrency: 4, stream: true }
  - { id: nokey, provider: openai, model: gpt-4o, baseURL: "${s.openaiBaseURL}", apiKeyEnv: E2E_MISSING_KEY, price: { input: 2.5, output: 10 } }
settings: [math/instance, code/response, inst/quality]
`,
    );
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', configFile], {
      cwd: dir,
      env: { E2E_OSS_KEY: SECRET, E2E_ANTHROPIC_KEY: SECRET, E2E_MISSING_KEY: '' },
    });
    expect(r.stdout).toMatch(/not finished: 3 blocked/);
    expect(r.code).toBe(1);
    const st = readStatus(dir);
    const byGen = (g: string) => st.cells.filter((c) => c.generator === g);
    for (const c of [...byGen('oss'), ...byGen('claude')]) {
      expect(c).toMatchObject({ stage: 'generate', state: 'done' });
      expect(c.accepted).toBe(c.target);
      expect(c.target).toBeGreaterThan(0);
      const train = fs
        .readFileSync(path.join(dir, 'runs/e2e', String(c.generator), String(c.setting), 'train.jsonl'), 'utf8')
        .trim()
        .split('\n');
      const first = JSON.parse(train[0]!) as { messages: Array<{ role: string }> };
      expect(first.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      // Instance generation trains on the seed set too, as in the paper.
      if (c.setting === 'math/instance') expect(train.length).toBeGreaterThan(Number(c.target));
      else expect(train.length).toBe(c.target);
    }
    // badEvery: 5 makes every fifth reply malformed: they were counted as rejections.
    expect(st.cells.some((c) => Number(c.rejected) > 0)).toBe(true);
    for (const c of byGen('nokey')) expect(c).toMatchObject({ state: 'blocked', error: expect.stringContaining('E2E_MISSING_KEY') });
    expect(st.openReservations).toBe(0);
    expect(st.ledger.reserved_nano).toBe(0);
    expect(st.callSum).toBe(st.ledger.spent_nano);
    expect(st.ledger.spent_nano).toBe(st.cells.reduce((a, c) => a + Number(c.cost_nano), 0));
    expect(st.duplicates).toBe(0);
    // The key is never written anywhere in the run folder.
    const files = fs.readdirSync(path.join(dir, 'runs/e2e'), { recursive: true }) as string[];
    for (const f of files) {
      const p = path.join(dir, 'runs/e2e', f);
      if (fs.statSync(p).isFile()) expect(fs.readFileSync(p).includes(SECRET), `${f} contains the key`).toBe(false);
    }
  });

  it('status --json reports the matrix with the documented fields', async () => {
    const { dir, configFile } = await setup(
      (s) => `
name: e2e
instancesPerCell: 3
budget: { usd: 5 }
generators:
  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${s.openaiBaseURL}", price: { input: 1, output: 2 } }
settings: [code/instance]
`,
    );
    expect((await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', configFile], { cwd: dir })).code).toBe(0);
    const r = await runAgora(['status', '--json', '--config', configFile], { cwd: dir });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { budgetUsd: number; spentUsd: number; reservedUsd: number; cells: Array<Record<string, unknown>> };
    expect(s.budgetUsd).toBe(5);
    expect(s.spentUsd).toBeGreaterThan(0);
    expect(s.reservedUsd).toBe(0);
    expect(s.cells).toEqual([
      expect.objectContaining({ generator: 'oss', setting: 'code/instance', stage: 'generate', state: 'done', accepted: 3, target: 3, costUsd: s.spentUsd }),
    ]);
  });

  it('rides out 429s, 500s, malformed bodies and a hung request, still ending with exactly N', async () => {
    const { server, dir, configFile } = await setup(
      (s) => `
name: e2e
instancesPerCell: 10
budget: { usd: 5 }
generators:
  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${s.openaiBaseURL}", price: { input: 1, output: 2 }, concurrency: 3, timeoutSeconds: 2 }
settings: [math/response]
`,
    );
    server.inject([
      { kind: 'status', status: 429, retryAfterMs: 200 },
      { kind: 'status', status: 500 },
      { kind: 'malformed' },
      { kind: 'hang' },
      { kind: 'status', status: 503 },
    ]);
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', configFile], { cwd: dir });
    expect(r.code).toBe(0);
    expect(server.stats.faultsServed).toBe(5);
    const st = readStatus(dir);
    expect(st.cells[0]).toMatchObject({ state: 'done', accepted: 10, target: 10 });
    expect(st.callSum).toBe(st.ledger.spent_nano);
  });

  it('fails a cell whose server cannot be reached, with the error, after retries', async () => {
    const { dir, configFile } = await setup(
      () => `
name: e2e
instancesPerCell: 5
budget: { usd: 5 }
generators:
  - { id: gone, provider: openai-compatible, model: m, baseURL: "http://127.0.0.1:9/v1", price: { input: 1, output: 2 }, concurrency: 1, maxRetries: 1 }
settings: [inst/response]
`,
    );
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', configFile], { cwd: dir });
    expect(r.code).toBe(1);
    const st = readStatus(dir);
    expect(st.cells[0]).toMatchObject({ state: 'failed', error: expect.stringMatching(/network/) });
    expect(st.ledger).toEqual({ spent_nano: 0, reserved_nano: 0 });
  });

  it('stops cells at the cap as budget-exhausted, never spending past it', async () => {
    const { dir, configFile } = await setup(
      (s) => `
name: e2e
instancesPerCell: 50
budget: { usd: 5, perGenerator: { pricey: 0.5 } }
generation: { maxTokens: 256 }
generators:
  - { id: pricey, provider: openai-compatible, model: fake-model, baseURL: "${s.openaiBaseURL}", price: { input: 30, output: 60 }, concurrency: 4 }
settings: [math/instance, code/instance]
`,
    );
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', configFile], { cwd: dir });
    expect(r.code).toBe(1);
    const st = readStatus(dir);
    expect(st.cells.map((c) => c.state)).toEqual(['budget-exhausted', 'budget-exhausted']);
    // Which cell got how much depends on which worker started first; together they did work.
    expect(st.cells.reduce((a, c) => a + Number(c.accepted), 0)).toBeGreaterThan(0);
    expect(st.cells.every((c) => Number(c.accepted) < 50)).toBe(true);
    expect(st.ledger.spent_nano).toBeLessThanOrEqual(0.5e9);
    expect(st.ledger.reserved_nano).toBe(0);
  });
});
