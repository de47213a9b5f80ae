import type { Stage } from '../../core/cell-state.js';
import { setCellProgress } from '../../store/cell-repo.js';
import type { Db } from '../../store/open-store.js';

export type EvalPhase = 'loading' | 'serving' | 'answering' | 'grading' | 'done';

/**
 * The cell's progress while it is evaluated: `{stage, graded, total}` as the snapshot contract
 * has it, plus `answered` and `phase` (answering takes the GPU time, so graded alone would sit
 * at 0 for most of the run) and the `checkpoint` carried over from training. Writes at most
 * every `everyMs`, and always on `flush`.
 */
export class EvalProgress {
  total = 0;
  answered = 0;
  graded = 0;
  phase: EvalPhase = 'loading';
  subject: string | undefined;
  private lastWrite = 0;

  constructor(
    private readonly db: Db,
    private readonly cellId: number,
    private readonly stage: Stage,
    private readonly checkpoint: string | undefined,
    private readonly everyMs = 500,
  ) {}

  addTotal(n: number, alreadyAnswered: number, alreadyGraded: number): void {
    this.total += n;
    this.answered += alreadyAnswered;
    this.graded += alreadyGraded;
    this.flush();
  }

  setPhase(phase: EvalPhase, subject?: string): void {
    this.phase = phase;
    this.subject = subject;
    this.flush();
  }

  onAnswered(): void {
    this.answered++;
    this.maybeFlush();
  }

  onGraded(): void {
    this.graded++;
    this.maybeFlush();
  }

  private maybeFlush(): void {
    if (Date.now() - this.lastWrite >= this.everyMs) this.flush();
  }

  flush(): void {
    this.lastWrite = Date.now();
    setCellProgress(this.db, this.cellId, {
      stage: this.stage,
      graded: this.graded,
      total: this.total,
      answered: this.answered,
      phase: this.phase,
      ...(this.subject !== undefined && { subject: this.subject }),
      ...(this.checkpoint !== undefined && { checkpoint: this.checkpoint }),
    });
  }
}
