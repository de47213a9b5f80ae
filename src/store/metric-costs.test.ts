import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../../test/support/temp-run.js';
import { cellCallCostsNano } from './api-call-repo.js';
import { listCells } from './cell-repo.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

describe('what the metrics stage spends, as the dashboard splits a cell cost', () => {
  it("is never the generator's own generation, even when the cell's generator is the metrics judge", () => {
    const t = tempStore();
    cleanups.push(t.cleanup);
    const cell = listCells(t.db)[0]!;
    const call = t.db.prepare(
      `INSERT INTO api_calls (cell_id, generator, purpose, tokens_in, tokens_out, cost_nano, outcome, created_at) VALUES (?, ?, ?, 1, 1, ?, 'ok', 0)`,
    );
    call.run(cell.id, cell.generator, 'generate', 500);
    call.run(cell.id, cell.generator, 'metrics', 70);
    call.run(cell.id, 'embeddings:text-embedding-3-small', 'metrics', 3);
    expect(cellCallCostsNano(t.db).get(cell.id)).toEqual({ generation: 500, judge: 73 });
  });
});
