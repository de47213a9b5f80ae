import type { MetricId } from '../core/metrics/metric-ids.js';
import type { Db } from './open-store.js';

/** An accepted instance as the metrics stage measures it. */
export interface MeasuredInstance {
  readonly id: number;
  readonly instruction: string;
  readonly response: string;
}

/** An embedding as stored: Float32, little-endian (what the analyses read back). */
function vectorBlob(v: readonly number[]): Buffer {
  const b = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => b.writeFloatLE(x, i * 4));
  return b;
}

/**
 * The metrics stage's rows (instance_metrics): one per sampled instance and metric, written as
 * each is computed, so a resumed worker computes only what has no row. Writes run in the
 * caller's transaction when there is one (a paid call's settle); alone, each is its own.
 */
export class MetricRepo {
  constructor(private readonly db: Db) {}

  /** The ids of the cell's accepted instances: what the sample is drawn from. */
  instanceIds(cellId: number): number[] {
    return this.db
      .prepare<[number], { id: number }>(`SELECT id FROM instances WHERE cell_id = ? ORDER BY id`)
      .all(cellId)
      .map((r) => r.id);
  }

  /** The texts of the given instances of the cell, in the order of `ids`. */
  instances(cellId: number, ids: readonly number[]): MeasuredInstance[] {
    const get = this.db.prepare<[number, number], MeasuredInstance>(`SELECT id, instruction, response FROM instances WHERE cell_id = ? AND id = ?`);
    return ids.flatMap((id) => {
      const row = get.get(cellId, id);
      return row ? [row] : [];
    });
  }

  /** Instances of the cell that have a row for `metric` (a value, a vector or a recorded failure). */
  stored(cellId: number, metric: MetricId): Set<number> {
    const rows = this.db
      .prepare<[number, string], { instance_id: number }>(`SELECT instance_id FROM instance_metrics WHERE cell_id = ? AND metric = ?`)
      .all(cellId, metric);
    return new Set(rows.map((r) => r.instance_id));
  }

  saveValue(cellId: number, instanceId: number, metric: MetricId, value: number): void {
    this.insert(cellId, instanceId, metric, value, null, null);
  }

  saveVector(cellId: number, instanceId: number, metric: MetricId, vector: readonly number[]): void {
    this.insert(cellId, instanceId, metric, null, vectorBlob(vector), null);
  }

  /** A final answer that gives no value (a verdict without a score): stored, so it is not asked again. */
  saveFailure(cellId: number, instanceId: number, metric: MetricId, detail: { readonly error: string; readonly [k: string]: unknown }): void {
    this.insert(cellId, instanceId, metric, null, null, JSON.stringify(detail));
  }

  /** The cell's rows, all metrics: its generation was reset, so they measure data that is gone. */
  deleteCell(cellId: number): void {
    this.db.prepare(`DELETE FROM instance_metrics WHERE cell_id = ?`).run(cellId);
  }

  private insert(cellId: number, instanceId: number, metric: MetricId, value: number | null, vector: Buffer | null, detail: string | null): void {
    // OR IGNORE: a row already there is the first answer; a second (two workers after a takeover) adds nothing.
    this.db
      .prepare(`INSERT OR IGNORE INTO instance_metrics (cell_id, instance_id, metric, value, vector, detail_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(cellId, instanceId, metric, value, vector, detail, Date.now());
  }
}
