import fs from 'node:fs';
import path from 'node:path';
import { costNano } from '../../src/core/cost.js';
import { openStore } from '../../src/store/open-store.js';
import type { FakeBatchBilledRow, FakeLlmServer } from './fake-llm-server.js';

// Helpers of the batch generation tests (test/batch-*.test.ts): the run's books as the store
// keeps them, and what the batch stand-in billed, to compare one with the other.

export const PRICE = { input: 3, output: 15 };
/** The batch APIs bill half; these halves are whole nano-dollars per token, so sums are exact. */
export const BATCH_PRICE = { input: PRICE.input / 2, output: PRICE.output / 2 };

/** Polls every 50 ms and small batches, so a test sees several batches and several polls each. */
export const batchEnv = (size: number): NodeJS.ProcessEnv => ({
  E2E_BATCH_KEY: 'sk-batch-test-0123456789',
  AGORA_BATCH_SIZE: String(size),
  AGORA_BATCH_POLL_SECONDS: '0.05',
});

export function batchConfig(s: FakeLlmServer, o: { n: number; settings: string; generators?: ReadonlyArray<'openai' | 'anthropic'> }): string {
  const gens = (o.generators ?? ['openai']).map((p) =>
    p === 'openai'
      ? `  - { id: gpt, provider: openai, model: fake-model, baseURL: "${s.openaiBaseURL}", apiKeyEnv: E2E_BATCH_KEY, price: { input: ${PRICE.input}, output: ${PRICE.output} }, batch: true }`
      : `  - { id: claude, provider: anthropic, model: fake-model, baseURL: "${s.anthropicBaseURL}", apiKeyEnv: E2E_BATCH_KEY, price: { input: ${PRICE.input}, output: ${PRICE.output} }, batch: true }`,
  );
  return `name: batch\ninstancesPerCell: ${o.n}\nbudget: { usd: 100 }\ngenerators:\n${gens.join('\n')}\nsettings: [${o.settings}]\n`;
}

export function writeConfig(dir: string, body: string): string {
  const file = path.join(dir, 'sweep.yaml');
  fs.writeFileSync(file, body);
  return file;
}

/** What the stand-in billed for a provider's answers, at the batch price, in nano-dollars. */
export function billedNano(rows: readonly FakeBatchBilledRow[]): number {
  return rows.reduce((a, r) => a + costNano({ inputTokens: r.inputTokens, outputTokens: r.outputTokens }, BATCH_PRICE), 0);
}

export interface Books {
  readonly cells: Array<{ generator: string; setting: string; state: string; accepted: number; target: number; error: string | null }>;
  readonly spent: Record<string, number>;
  readonly reserved: number;
  readonly orphaned: number;
  readonly openReservations: number;
  readonly calls: Array<{ generator: string; outcome: string; tokens_in: number; tokens_out: number; cost_nano: number }>;
  readonly batches: Array<{ cell_id: number; state: string; total: number; provider_batch_id: string | null }>;
  readonly callSum: number;
  readonly cellCostSum: number;
  readonly instancesPerCell: number[];
}

export function readBooks(dbFile: string): Books {
  const db = openStore(dbFile, { readonly: true });
  try {
    const ledger = db.prepare(`SELECT scope, spent_nano, reserved_nano, orphaned_nano FROM ledger`).all() as Array<{
      scope: string;
      spent_nano: number;
      reserved_nano: number;
      orphaned_nano: number;
    }>;
    const run = ledger.find((l) => l.scope === '*')!;
    return {
      cells: db.prepare(`SELECT generator, setting, state, accepted, target, error FROM cells ORDER BY id`).all() as Books['cells'],
      spent: Object.fromEntries(ledger.map((l) => [l.scope, l.spent_nano])),
      reserved: run.reserved_nano,
      orphaned: run.orphaned_nano,
      openReservations: (db.prepare(`SELECT COUNT(*) AS n FROM reservations`).get() as { n: number }).n,
      calls: db.prepare(`SELECT generator, outcome, tokens_in, tokens_out, cost_nano FROM api_calls ORDER BY id`).all() as Books['calls'],
      batches: db.prepare(`SELECT cell_id, state, total, provider_batch_id FROM batches ORDER BY id`).all() as Books['batches'],
      callSum: (db.prepare(`SELECT COALESCE(SUM(cost_nano), 0) AS s FROM api_calls`).get() as { s: number }).s,
      cellCostSum: (db.prepare(`SELECT COALESCE(SUM(cost_nano), 0) AS s FROM cells`).get() as { s: number }).s,
      instancesPerCell: (
        db.prepare(`SELECT c.id, COUNT(i.id) AS n FROM cells c LEFT JOIN instances i ON i.cell_id = c.id GROUP BY c.id ORDER BY c.id`).all() as Array<{
          n: number;
        }>
      ).map((r) => r.n),
    };
  } finally {
    db.close();
  }
}
