import type { Db } from '../../src/store/open-store.js';

/**
 * Until the metrics stage's migration lands, tests create its table as that migration will
 * (IF NOT EXISTS: once the migration has made it, this does nothing and the migration's shape rules).
 */
export function ensureMetricsTable(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS instance_metrics (
    cell_id INTEGER NOT NULL REFERENCES cells(id), instance_id INTEGER NOT NULL, metric TEXT NOT NULL,
    value REAL, vector BLOB, detail_json TEXT, created_at INTEGER NOT NULL, PRIMARY KEY (cell_id, instance_id, metric))`);
}

/** An embedding as the metrics stage stores it: Float32, little-endian. */
export function float32Blob(v: readonly number[]): Buffer {
  const b = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => b.writeFloatLE(x, i * 4));
  return b;
}

export interface MetricRow {
  readonly cellId: number;
  readonly instanceId: number;
  readonly metric: string;
  readonly value?: number | null;
  readonly vector?: readonly number[];
  readonly detail?: unknown;
}

export function storeMetrics(db: Db, rows: readonly MetricRow[]): void {
  ensureMetricsTable(db);
  const insert = db.prepare(`INSERT INTO instance_metrics (cell_id, instance_id, metric, value, vector, detail_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (const r of rows)
      insert.run(
        r.cellId,
        r.instanceId,
        r.metric,
        r.value ?? null,
        r.vector ? float32Blob(r.vector) : null,
        r.detail === undefined ? null : JSON.stringify(r.detail),
        Date.now(),
      );
  }).immediate();
}
