import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { costNano } from '../src/core/cost.js';
import { agoraResponder } from './support/agora-responder.js';
import { batchConfig, batchEnv, billedNano, PRICE, readBooks, writeConfig } from './support/batch-run.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { runAgora } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function setup(badEvery?: number) {
  // The stand-in checks the key on every batch route, as the live routes do.
  const server = await startFakeLlmServer({ responder: agoraResponder(badEvery === undefined ? {} : { badEvery }), apiKey: batchEnv(1).E2E_BATCH_KEY });
  cleanups.push(() => server.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  return { server, dir: t.dir, dbFile: path.join(t.dir, 'runs/batch/agora.db') };
}

const generate = (dir: string, env: NodeJS.ProcessEnv) => runAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir, env });

/** The books balance: every reservation settled, the ledger, the calls and the cells agree. */
function expectBalanced(books: ReturnType<typeof readBooks>) {
  expect(books.openReservations).toBe(0);
  expect(books.reserved).toBe(0);
  expect(books.callSum).toBe(books.spent['*']);
  expect(books.cellCostSum).toBe(books.spent['*']);
}

describe('generation through the provider batch APIs (batch: true), real SDKs against the stand-in', () => {
  it('finishes cells on both APIs at half the live price, the ledger equal to what the stand-in billed', async () => {
    const { server, dir, dbFile } = await setup(5);
    writeConfig(dir, batchConfig(server, { n: 12, settings: 'math/instance, code/response', generators: ['openai', 'anthropic'] }));
    const r = await generate(dir, batchEnv(5));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const books = readBooks(dbFile);
    for (const c of books.cells) expect(c).toMatchObject({ state: 'done', accepted: c.target });
    expect(books.instancesPerCell).toEqual(books.cells.map((c) => c.target));
    // Nothing went through the live endpoints: every answer came from a batch.
    expect(server.stats.byPath['/v1/chat/completions']).toBeUndefined();
    expect(server.stats.byPath['/v1/messages']).toBeUndefined();
    // 12 per cell in batches of at most 5, plus the top-ups for rejected answers (badEvery 5).
    expect(server.batches.stats.created.openai).toBeGreaterThanOrEqual(6);
    expect(server.batches.stats.created.anthropic).toBeGreaterThanOrEqual(6);
    expect(books.cells.some((c) => c.accepted > 0) && books.calls.filter((c) => c.outcome === 'ok').length).toBeGreaterThan(24);

    const billed = server.batches.stats.billed;
    expect(books.spent.gpt).toBe(billedNano(billed.filter((b) => b.provider === 'openai')));
    expect(books.spent.claude).toBe(billedNano(billed.filter((b) => b.provider === 'anthropic')));
    expect(books.spent['*']).toBe(billedNano(billed));
    expect(books.spent['*']).toBeGreaterThan(0);
    // Half the live price: the same tokens at the listed price cost exactly twice as much.
    const ok = books.calls.filter((c) => c.outcome === 'ok');
    expect(ok).toHaveLength(billed.length);
    const live = ok.reduce((a, c) => a + costNano({ inputTokens: c.tokens_in, outputTokens: c.tokens_out }, PRICE), 0);
    expect(2 * books.spent['*']!).toBe(live);
    expectBalanced(books);
    expect(books.orphaned).toBe(0);
    expect(books.batches.every((b) => b.state === 'settled' && b.provider_batch_id !== null)).toBe(true);
    // Progress while the provider worked, in the cell's log (shown in its detail view).
    const log = fs.readFileSync(path.join(dir, 'runs/batch/gpt/math/instance/generate.log'), 'utf8');
    expect(log).toMatch(/batch 1\/\d+: \d+\/5 done at the provider \(in_progress\)/);
    expect(log).toMatch(/batch 1 ended \(completed\): \d+ accepted/);
    // The key never lands in the run folder (logs, database, batch rows).
    const key = batchEnv(1).E2E_BATCH_KEY!;
    for (const f of fs.readdirSync(path.join(dir, 'runs/batch'), { recursive: true }) as string[]) {
      const p = path.join(dir, 'runs/batch', f);
      if (fs.statSync(p).isFile()) expect(fs.readFileSync(p).includes(key), `${f} contains the key`).toBe(false);
    }
  });

  it('retries the items of errored rows and of an expired batch, as failed live calls are retried', async () => {
    const { server, dir, dbFile } = await setup();
    writeConfig(dir, batchConfig(server, { n: 8, settings: 'code/response', generators: ['anthropic'] }));
    server.batches.inject([{ kind: 'row-error', count: 2, status: 500 }, { kind: 'expire' }]);
    const r = await generate(dir, batchEnv(8));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const books = readBooks(dbFile);
    expect(books.cells[0]).toMatchObject({ state: 'done', accepted: 8, target: 8 });
    expect(books.instancesPerCell).toEqual([8]);
    // The first batch: 4 answered (it expired half way), 2 of them errored; their items went out again.
    expect(server.batches.stats.created.anthropic).toBeGreaterThanOrEqual(2);
    const failed = books.calls.filter((c) => c.outcome === 'error');
    expect(failed).toHaveLength(2 + 4);
    for (const f of failed) expect(f.cost_nano).toBe(0);
    expect(books.spent['*']).toBe(billedNano(server.batches.stats.billed));
    expectBalanced(books);
    const log = fs.readFileSync(path.join(dir, 'runs/batch/claude/code/response/generate.log'), 'utf8');
    expect(log).toMatch(/batch 1 ended \(ended\): 2 accepted, 0 rejected, 6 failed; 4 requests expired/);
  });

  it('fails the cell on a row the provider refused as a bad request, as a live 400 fails it', async () => {
    const { server, dir, dbFile } = await setup();
    writeConfig(dir, batchConfig(server, { n: 6, settings: 'inst/response' }));
    server.batches.inject({ kind: 'row-error', count: 1, status: 400 });
    const r = await generate(dir, batchEnv(6));
    expect(r.code).toBe(1);
    const books = readBooks(dbFile);
    expect(books.cells[0]).toMatchObject({ state: 'failed', error: expect.stringMatching(/^bad-request: batch request: injected batch row fault: HTTP 400/) });
    // The other answers of that batch were settled and kept; nothing is left reserved.
    expect(books.cells[0]!.accepted).toBe(5);
    expect(books.spent['*']).toBe(billedNano(server.batches.stats.billed));
    expectBalanced(books);
  });
});
