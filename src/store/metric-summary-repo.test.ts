import { afterEach, describe, expect, it } from 'vitest';
import { storeMetrics } from '../../test/support/instance-metrics.js';
import { tempStore } from '../../test/support/temp-run.js';
import { listCells } from './cell-repo.js';
import { cellMetricSummaries, type DiversityCache } from './metric-summary-repo.js';

let cleanup = () => {};
afterEach(() => cleanup());

function store() {
  const t = tempStore();
  cleanup = t.cleanup;
  return { db: t.db, cellId: listCells(t.db)[0]!.id };
}

describe('cell metric summaries from the store', () => {
  it('reads no metrics from a store whose metrics table does not exist yet', () => {
    const { db } = store();
    db.exec('DROP TABLE IF EXISTS instance_metrics');
    expect(cellMetricSummaries(db)).toEqual([]);
  });

  it('averages values, skipping failures, and takes c-dist of the embeddings: by hand', () => {
    const { db, cellId } = store();
    storeMetrics(db, [
      { cellId, instanceId: 1, metric: 'quality.judge', value: 2 },
      { cellId, instanceId: 2, metric: 'quality.judge', value: 5 },
      { cellId, instanceId: 3, metric: 'quality.judge', value: null, detail: { error: 'timeout' } },
      // (1, 0), (0, 1), (1, 1): cosines 0, 1/sqrt(2), 1/sqrt(2); c-dist 1 - sqrt(2)/3.
      { cellId, instanceId: 1, metric: 'diversity.response', vector: [1, 0] },
      { cellId, instanceId: 2, metric: 'diversity.response', vector: [0, 1] },
      { cellId, instanceId: 3, metric: 'diversity.response', vector: [1, 1] },
      { cellId, instanceId: 1, metric: 'diversity.instruction', vector: [1, 0] },
      { cellId, instanceId: 2, metric: 'diversity.instruction', vector: [0, 0] },
    ]);
    // A metric this agora does not know (a newer one's row) is not read as one.
    db.prepare(`INSERT INTO instance_metrics (cell_id, instance_id, metric, value, created_at) VALUES (?, 1, 'not.a.metric', 9, 0)`).run(cellId);
    const [s] = cellMetricSummaries(db);
    expect(s).toMatchObject({ cellId, generator: 'gen-a', setting: 'math/instance', counts: { 'quality.judge': 2, 'diversity.response': 3 } });
    expect(s!.values['quality.judge']).toBe(3.5);
    expect(s!.values['diversity.response']).toBeCloseTo(1 - Math.SQRT2 / 3, 7);
    expect(Object.keys(s!.values).sort()).toEqual(['diversity.response', 'quality.judge']);
    expect(s!.problems).toEqual({ 'diversity.instruction': 'embedding 1 is all zeros: its cosine with anything is undefined' });
  });

  it('names a stored embedding that is not whole float32s', () => {
    const { db, cellId } = store();
    storeMetrics(db, [
      { cellId, instanceId: 1, metric: 'diversity.instruction', vector: [1, 0] },
      { cellId, instanceId: 2, metric: 'diversity.instruction', vector: [0, 1] },
    ]);
    db.prepare(`UPDATE instance_metrics SET vector = ? WHERE instance_id = 2`).run(Buffer.from([1, 2, 3]));
    expect(cellMetricSummaries(db)[0]!.problems).toEqual({
      'diversity.instruction': 'instance 2: the stored embedding has 3 bytes, not a whole number of float32s',
    });
  });

  it('reads embeddings again only for a cell whose rows changed, when given the same cache', () => {
    const { db, cellId } = store();
    const rows = [
      { cellId, instanceId: 1, metric: 'diversity.response' as const, vector: [1, 0] },
      { cellId, instanceId: 2, metric: 'diversity.response' as const, vector: [0, 1] },
    ];
    storeMetrics(db, rows);
    const cache: DiversityCache = new Map();
    expect(cellMetricSummaries(db, cache)[0]!.values['diversity.response']).toBe(1);
    // A value the cache holds, not one the rows give: returned while the rows are as they were.
    cache.set(`${cellId}\tdiversity.response`, { ...cache.get(`${cellId}\tdiversity.response`)!, value: 42 });
    expect(cellMetricSummaries(db, cache)[0]!.values['diversity.response']).toBe(42);
    expect(cellMetricSummaries(db)[0]!.values['diversity.response']).toBe(1);
    // A third embedding, (1, 1): c-dist 1 - sqrt(2)/3 as above, read again from the rows.
    storeMetrics(db, [{ cellId, instanceId: 3, metric: 'diversity.response', vector: [1, 1] }]);
    expect(cellMetricSummaries(db, cache)[0]!.values['diversity.response']).toBeCloseTo(1 - Math.SQRT2 / 3, 7);
  });
});
