import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { batchConfig, batchEnv, billedNano, readBooks, writeConfig } from './support/batch-run.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { runAgora } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function run(capUsd: number, n: number) {
  const server = await startFakeLlmServer({ responder: agoraResponder() });
  cleanups.push(() => server.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  const config = batchConfig(server, { n, settings: 'math/response' }).replace(
    'budget: { usd: 100 }',
    `budget: { usd: 100, perGenerator: { gpt: ${capUsd} } }`,
  );
  writeConfig(t.dir, config);
  const r = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: t.dir, env: batchEnv(100) });
  return { r, server, books: readBooks(path.join(t.dir, 'runs/batch/agora.db')) };
}

describe('batch generation under a cap', () => {
  it('sends only what fits the cap at its worst case, and sends the rest once settled answers free it', async () => {
    // About three requests' worst case (4,096 output tokens at $7.50/1M) fit under $0.10.
    const { r, server, books } = await run(0.1, 12);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(books.cells[0]).toMatchObject({ state: 'done', accepted: 12 });
    expect(books.batches[0]!.total).toBeLessThan(12);
    expect(books.batches[0]!.total).toBeGreaterThan(0);
    expect(server.batches.stats.created.openai).toBe(books.batches.length);
    expect(books.spent.gpt).toBeLessThanOrEqual(0.1e9);
    expect(books.spent.gpt).toBe(billedNano(server.batches.stats.billed));
    expect(books.openReservations).toBe(0);
  });

  it('stops the cell as budget-exhausted, sending nothing, when not one request fits', async () => {
    const { r, server, books } = await run(0.01, 4);
    expect(r.code).toBe(1);
    expect(books.cells[0]).toMatchObject({ state: 'budget-exhausted', accepted: 0 });
    expect(server.batches.stats.created.openai).toBe(0);
    expect(books.batches).toEqual([]);
    expect(books.openReservations).toBe(0);
    expect(books.spent['*'] ?? 0).toBe(0);
  });
});
