import type { AnalysisModel } from '../core/analysis/run-analysis.js';
import type { CellDetail, RunSnapshot } from '../core/snapshot.js';

/** An external store of run snapshots, read with `useSyncExternalStore`. */
export interface SnapshotSource {
  subscribe(listener: () => void): () => void;
  /** Must return the same object until the run changes (React compares by identity). */
  getSnapshot(): RunSnapshot;
}

/** What the dashboard's keys ask for; the conductor and the store carry them out. */
export interface DashboardActions {
  retry(cellId: number): void;
  retryAllFailed(): void;
  cancel(cellId: number): void;
  /** Redoes a cell from a stage, from scratch (as `agora reset`). */
  reset(cellId: number, stage: 'generate' | 'train' | 'evaluate'): void;
  togglePause(): void;
  quit(): void;
  loadDetail(cellId: number): CellDetail | undefined;
  /** The analyses of the intrinsic metrics; asked for only while the analyses view is open (it reads every sampled instance's metric). */
  loadAnalyses(): Promise<AnalysisModel>;
}

export interface DashboardProps {
  source: SnapshotSource;
  actions: DashboardActions;
  /** Columns and rows; default: the terminal's, following resizes, else 80x24. */
  width?: number;
  height?: number;
  /** NO_COLOR: glyphs still tell the states apart. */
  noColor?: boolean;
  /** A line shown under the header, e.g. first-run help. */
  hint?: string;
  /** Spinner tick; 0 keeps running cells on their still glyph (tests). Default 500 ms. */
  spinnerMs?: number;
}
