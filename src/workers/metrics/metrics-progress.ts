import { setCellProgress } from '../../store/cell-repo.js';
import type { Db } from '../../store/open-store.js';

/**
 * The cell's progress while it is measured: rows stored of the rows its sample needs (sampled
 * instances x configured metrics), and the model in use. Writes at most every `everyMs`, and
 * always on `flush`, so the dashboard's poll stays O(cells).
 */
export class MetricsProgress {
  done = 0;
  total = 0;
  model: string | undefined;
  private lastWrite = 0;

  constructor(
    private readonly db: Db,
    private readonly cellId: number,
    private readonly everyMs = 500,
  ) {}

  start(total: number, done: number): void {
    this.total = total;
    this.done = done;
    this.flush();
  }

  setModel(model: string | undefined): void {
    this.model = model;
    this.flush();
  }

  onStored(n: number): void {
    this.done += n;
    if (Date.now() - this.lastWrite >= this.everyMs) this.flush();
  }

  flush(): void {
    this.lastWrite = Date.now();
    setCellProgress(this.db, this.cellId, { stage: 'metrics', done: this.done, total: this.total, ...(this.model !== undefined && { model: this.model }) });
  }
}
