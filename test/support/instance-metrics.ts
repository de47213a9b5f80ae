import type { MetricId } from '../../src/core/metrics/metric-ids.js';
import { MetricRepo } from '../../src/store/metric-repo.js';
import { writeTransaction, type Db } from '../../src/store/open-store.js';

export interface MetricRow {
  readonly cellId: number;
  readonly instanceId: number;
  readonly metric: MetricId;
  /** null: a failure, stored with `detail` as the metrics stage stores one. */
  readonly value?: number | null;
  readonly vector?: readonly number[];
  readonly detail?: { readonly error: string };
}

/** Rows written through the metrics stage's own repository (instance_metrics, from the store's migration). */
export function storeMetrics(db: Db, rows: readonly MetricRow[]): void {
  const repo = new MetricRepo(db);
  writeTransaction(db, () => {
    for (const r of rows) {
      if (r.vector) repo.saveVector(r.cellId, r.instanceId, r.metric, r.vector);
      else if (typeof r.value === 'number') repo.saveValue(r.cellId, r.instanceId, r.metric, r.value);
      else repo.saveFailure(r.cellId, r.instanceId, r.metric, r.detail ?? { error: 'no value' });
    }
  });
}
