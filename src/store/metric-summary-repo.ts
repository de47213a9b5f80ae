import { embeddingDiversity } from '../core/analysis/diversity.js';
import { isMetricId, type CellMetricSummary, type MetricId } from '../core/metrics/metric-ids.js';
import type { Db } from './open-store.js';

/**
 * Per cell, per intrinsic metric, the cell's value as the analyses read it (the paper's Table 8):
 * the mean of the stored per-instance values, or, for diversity.*, the c-dist of the stored
 * embeddings. This reads every stored row, O(instances sampled): `agora report` calls it once,
 * the dashboard only while its analyses view is open, at most every few seconds
 * (cli/analysis-cache.ts), with a cache of each cell's c-dist, never in the snapshot poll.
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

/** c-dist per (cell, metric), kept with the fingerprint of the rows it was computed from. */
export type DiversityCache = Map<string, { fingerprint: string; value?: number; items?: number; problem?: string }>;

function diversityOf(rows: readonly { instance_id: number; vector: Buffer }[]): { value?: number; items?: number; problem?: string } {
  try {
    const d = embeddingDiversity(rows.map((r) => decodeVector(r.vector, `instance ${r.instance_id}`)));
    return { value: d.meanCosineDistance, items: d.items };
  } catch (e) {
    // One unreadable embedding makes the cell's c-dist unknown; the analyses name why the cell is left out.
    return { problem: (e as Error).message };
  }
}

/**
 * `cache`: a viewer that asks again and again (the dashboard's analyses view) passes the same
 * one, so only the embeddings of cells whose rows changed are read again; `agora report` asks once.
 */
export function cellMetricSummaries(db: Db, cache: DiversityCache = new Map()): CellMetricRead[] {
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
  // Per (cell, metric) first a fingerprint of its embeddings' rows, which reads no blob; the
  // blobs are read and c-dist computed again only for the groups whose rows changed since the
  // cache saw them (a cell being measured, or reset and measured again).
  const groups = db
    .prepare<[], { cell_id: number; generator: string; setting: string; metric: string; n: number; latest: number; ids: number }>(
      `SELECT m.cell_id, c.generator, c.setting, m.metric, COUNT(*) AS n, MAX(m.created_at) AS latest, SUM(m.instance_id) AS ids
         FROM instance_metrics m JOIN cells c ON c.id = m.cell_id
        WHERE m.vector IS NOT NULL AND m.metric LIKE 'diversity.%'
        GROUP BY m.cell_id, m.metric`,
    )
    .all();
  const vectorsOf = db.prepare<[number, string], { instance_id: number; vector: Buffer }>(
    `SELECT instance_id, vector FROM instance_metrics WHERE cell_id = ? AND metric = ? AND vector IS NOT NULL ORDER BY instance_id`,
  );
  for (const g of groups) {
    if (!isMetricId(g.metric)) continue;
    const key = `${g.cell_id}\t${g.metric}`;
    const fingerprint = `${g.n}:${g.latest}:${g.ids}`;
    let entry = cache.get(key);
    if (entry?.fingerprint !== fingerprint) {
      entry = { fingerprint, ...diversityOf(vectorsOf.all(g.cell_id, g.metric)) };
      cache.set(key, entry);
    }
    const a = accFor(g);
    if (entry.problem !== undefined) a.problems[g.metric] = entry.problem;
    else {
      a.values[g.metric] = entry.value;
      a.counts[g.metric] = entry.items;
    }
  }
  return [...cells.values()].sort((x, y) => x.cellId - y.cellId);
}
