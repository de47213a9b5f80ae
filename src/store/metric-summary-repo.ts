import { embeddingDiversity } from '../core/analysis/diversity.js';
import { isMetricId, type CellMetricSummary, type MetricId } from '../core/metrics/metric-ids.js';
import type { Db } from './open-store.js';

/**
 * Per cell, per intrinsic metric, the cell's value as the analyses read it (the paper's Table 8):
 * the mean of the stored per-instance values, or, for diversity.*, the c-dist of the stored
 * embeddings. This reads every stored row, O(instances sampled): `agora report` calls it once,
 * the dashboard only while its analyses view is open and at most every few seconds
 * (cli/analysis-cache.ts), never in the snapshot poll.
 */

/** A cell's summary, plus why a metric that has rows has no value (embeddings that cannot be compared). */
export interface CellMetricRead extends CellMetricSummary {
  readonly problems: Partial<Record<MetricId, string>>;
}

/** A store written before the metrics stage's migration (or opened read-only before it ran) has no table: no metrics, not an error. */
function hasTable(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'instance_metrics'`).get() !== undefined;
}

/** Float32, little-endian, as the metrics stage writes an embedding; a length that is no multiple of 4 is named. */
function decodeVector(blob: Buffer, where: string): number[] {
  if (blob.byteLength % 4 !== 0) throw new RangeError(`${where}: the stored embedding has ${blob.byteLength} bytes, not a whole number of float32s`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  return Array.from({ length: blob.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

interface Acc {
  cellId: number;
  generator: string;
  setting: string;
  values: Partial<Record<MetricId, number>>;
  counts: Partial<Record<MetricId, number>>;
  problems: Partial<Record<MetricId, string>>;
}

export function cellMetricSummaries(db: Db): CellMetricRead[] {
  if (!hasTable(db)) return [];
  const cells = new Map<number, Acc>();
  const accFor = (row: { cell_id: number; generator: string; setting: string }): Acc => {
    let a = cells.get(row.cell_id);
    if (!a) cells.set(row.cell_id, (a = { cellId: row.cell_id, generator: row.generator, setting: row.setting, values: {}, counts: {}, problems: {} }));
    return a;
  };
  // Failures store value NULL (and their error in detail_json): they enter neither mean nor count.
  const means = db
    .prepare<[], { cell_id: number; generator: string; setting: string; metric: string; mean: number; n: number }>(
      `SELECT m.cell_id, c.generator, c.setting, m.metric, AVG(m.value) AS mean, COUNT(m.value) AS n
         FROM instance_metrics m JOIN cells c ON c.id = m.cell_id
        WHERE m.value IS NOT NULL AND m.metric NOT LIKE 'diversity.%'
        GROUP BY m.cell_id, m.metric`,
    )
    .all();
  for (const r of means) {
    if (!isMetricId(r.metric)) continue;
    const a = accFor(r);
    a.values[r.metric] = r.mean;
    a.counts[r.metric] = r.n;
  }
  const vectors = db
    .prepare<[], { cell_id: number; generator: string; setting: string; metric: string; instance_id: number; vector: Buffer }>(
      `SELECT m.cell_id, c.generator, c.setting, m.metric, m.instance_id, m.vector
         FROM instance_metrics m JOIN cells c ON c.id = m.cell_id
        WHERE m.vector IS NOT NULL AND m.metric LIKE 'diversity.%'
        ORDER BY m.cell_id, m.metric, m.instance_id`,
    )
    .all();
  const groups = new Map<string, { row: (typeof vectors)[number]; list: (typeof vectors)[number][] }>();
  for (const r of vectors) {
    const key = `${r.cell_id}\t${r.metric}`;
    const g = groups.get(key);
    if (g) g.list.push(r);
    else groups.set(key, { row: r, list: [r] });
  }
  for (const { row, list } of groups.values()) {
    if (!isMetricId(row.metric)) continue;
    const a = accFor(row);
    const metric = row.metric;
    try {
      const d = embeddingDiversity(list.map((r) => decodeVector(r.vector, `instance ${r.instance_id}`)));
      a.values[metric] = d.meanCosineDistance;
      a.counts[metric] = d.items;
    } catch (e) {
      // One unreadable embedding makes the cell's c-dist unknown; the analyses name why the cell is left out.
      a.problems[metric] = (e as Error).message;
    }
  }
  return [...cells.values()].sort((x, y) => x.cellId - y.cellId);
}
