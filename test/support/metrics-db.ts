import { openStore } from '../../src/store/open-store.js';

/** What the metrics e2e tests read of a run's store. */
export interface Row {
  cell_id: number;
  instance_id: number;
  metric: string;
  value: number | null;
  vector: Buffer | null;
  detail_json: string | null;
  created_at: number;
}

export function readRun(file: string) {
  const db = openStore(file, { readonly: true });
  try {
    return {
      cells: db.prepare(`SELECT id, generator, setting, stage, state, error, progress_json FROM cells ORDER BY id`).all() as Array<{
        id: number;
        generator: string;
        setting: string;
        stage: string;
        state: string;
        error: string | null;
        progress_json: string | null;
      }>,
      instances: db.prepare(`SELECT id, cell_id, instruction, response FROM instances`).all() as Array<{
        id: number;
        cell_id: number;
        instruction: string;
        response: string;
      }>,
      rows: db.prepare(`SELECT * FROM instance_metrics ORDER BY cell_id, instance_id, metric`).all() as Row[],
      calls: db
        .prepare(`SELECT generator, purpose, cell_id, tokens_in, tokens_out, cost_nano, outcome FROM api_calls WHERE purpose = 'metrics'`)
        .all() as Array<{
        generator: string;
        purpose: string;
        cell_id: number;
        tokens_in: number;
        tokens_out: number;
        cost_nano: number;
        outcome: string;
      }>,
      spentNano: (db.prepare(`SELECT spent_nano FROM ledger WHERE scope = '*'`).get() as { spent_nano: number }).spent_nano,
      callSumNano: (db.prepare(`SELECT COALESCE(SUM(cost_nano), 0) AS s FROM api_calls`).get() as { s: number }).s,
      openReservations: (db.prepare(`SELECT COUNT(*) AS n FROM reservations`).get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}
