/**
 * The stages in order. `metrics` (the intrinsic metrics of the generated data, paper's Table 8)
 * comes last so that the GPU pipeline is never held up by it; it reads only what generation
 * wrote, so a run may go to it straight from generation (advanceTarget).
 */
export const STAGES = ['generate', 'train', 'evaluate', 'score', 'metrics'] as const;
export type Stage = (typeof STAGES)[number];

export const CELL_STATES = ['pending', 'running', 'done', 'failed', 'blocked', 'budget-exhausted', 'cancelled'] as const;
export type CellState = (typeof CELL_STATES)[number];

/** Where a cell stands: the stage it is in and that stage's state. The run's last stage `done` is the end. */
export interface CellPosition {
  readonly stage: Stage;
  readonly state: CellState;
}

export type CellEvent =
  | { type: 'start' }
  | { type: 'finish' }
  | { type: 'fail'; error: string }
  | { type: 'block'; reason: string }
  | { type: 'budget-exhausted' }
  | { type: 'cancel' }
  | { type: 'retry' }
  | { type: 'advance'; to?: Stage }
  | { type: 'unblock' };

export function nextStage(stage: Stage): Stage | undefined {
  const i = STAGES.indexOf(stage);
  return STAGES[i + 1];
}

/** Stages that need nothing of the stages between generation and them: they may be entered by skipping those. */
const ENTERED_FROM_GENERATION: ReadonlySet<Stage> = new Set(['metrics']);

/**
 * The stage a `done` cell advances into, given which stages this run conducts (requested and with
 * a driver): the next one when it runs; else, for `--stages generate,metrics`, a stage that reads
 * only the generated data, when none of the stages in between runs. A stage that needs the ones
 * before it (score needs a trained, evaluated student) is never reached by skipping.
 */
export function advanceTarget(stage: Stage, runs: (s: Stage) => boolean): Stage | undefined {
  const next = nextStage(stage);
  if (next === undefined) return undefined;
  if (runs(next)) return next;
  const later = STAGES.slice(STAGES.indexOf(next) + 1);
  for (const s of later) {
    if (runs(s)) return ENTERED_FROM_GENERATION.has(s) ? s : undefined;
  }
  return undefined;
}

/**
 * The stage machine. A finished stage is `done`; the conductor then `advance`s it to the next
 * stage's `pending` when that stage is among the ones it runs (so `--stages generate` stops
 * cleanly after generation and a later `--stages generate,train` picks up from there). Retry
 * resumes the stage that stopped (its workers are idempotent), never an earlier one.
 */
export function transition(pos: CellPosition, ev: CellEvent): CellPosition {
  switch (ev.type) {
    case 'start':
      if (pos.state !== 'pending') throw new Error(`cannot start a ${pos.stage} stage that is ${pos.state}`);
      return { stage: pos.stage, state: 'running' };
    case 'finish': {
      if (pos.state !== 'running') throw new Error(`cannot finish a ${pos.stage} stage that is ${pos.state}`);
      return { stage: pos.stage, state: 'done' };
    }
    case 'advance': {
      const next = ev.to ?? nextStage(pos.stage);
      if (pos.state !== 'done' || next === undefined) throw new Error(`cannot advance a ${pos.stage} stage that is ${pos.state}`);
      if (STAGES.indexOf(next) <= STAGES.indexOf(pos.stage)) throw new Error(`cannot advance from ${pos.stage} back to ${next}`);
      return { stage: next, state: 'pending' };
    }
    case 'fail':
      return { stage: pos.stage, state: 'failed' };
    case 'block':
      return { stage: pos.stage, state: 'blocked' };
    case 'budget-exhausted':
      return { stage: pos.stage, state: 'budget-exhausted' };
    case 'cancel':
      if (pos.state === 'done') return pos;
      return { stage: pos.stage, state: 'cancelled' };
    case 'retry':
      if (!isRetryable(pos.state)) throw new Error(`cannot retry a ${pos.stage} stage that is ${pos.state}`);
      return { stage: pos.stage, state: 'pending' };
    case 'unblock':
      return pos.state === 'blocked' ? { stage: pos.stage, state: 'pending' } : pos;
    default: {
      const never: never = ev;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export function isRetryable(state: CellState): boolean {
  return state === 'failed' || state === 'budget-exhausted' || state === 'cancelled' || state === 'blocked';
}
