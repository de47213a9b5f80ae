import type { AnalysisModel } from '../../core/analysis/run-analysis.js';
import type { CellDetail, RunSnapshot } from '../../core/snapshot.js';
import type { DashboardActions, SnapshotSource } from '../dashboard-props.js';

export { T0, allStatesRun, cell, detailFor, gen, scored } from '../../core/views/test-fixtures.js';

/** An in-memory SnapshotSource for tests and benches: `set` replaces the snapshot and notifies. */
export class FakeSource implements SnapshotSource {
  private listeners = new Set<() => void>();
  constructor(private snapshot: RunSnapshot) {}
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  getSnapshot(): RunSnapshot {
    return this.snapshot;
  }
  set(next: RunSnapshot): void {
    this.snapshot = next;
    for (const l of this.listeners) l();
  }
}

export interface RecordedActions extends DashboardActions {
  readonly calls: string[];
}

/** Actions that record each call as `name` or `name:cellId`. */
export function recordActions(detail?: (id: number) => CellDetail | undefined, analyses?: () => AnalysisModel | undefined): RecordedActions {
  const calls: string[] = [];
  return {
    calls,
    retry: (id) => void calls.push(`retry:${id}`),
    retryAllFailed: () => void calls.push('retryAllFailed'),
    cancel: (id) => void calls.push(`cancel:${id}`),
    reset: (id, stage) => void calls.push(`reset:${id}:${stage}`),
    togglePause: () => void calls.push('togglePause'),
    quit: () => void calls.push('quit'),
    loadDetail: (id) => {
      calls.push(`loadDetail:${id}`);
      return detail?.(id);
    },
    loadAnalyses: () => {
      calls.push('loadAnalyses');
      const model = analyses?.();
      return model ? Promise.resolve(model) : Promise.reject(new Error('this test gives no analyses'));
    },
  };
}
