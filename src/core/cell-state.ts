export const STAGES = ['generate', 'train', 'evaluate', 'score'] as const;
export type Stage = (typeof STAGES)[number];

export const CELL_STATES = ['pending', 'running', 'done', 'failed', 'blocked', 'budget-exhausted', 'cancelled'] as const;
export type CellState = (typeof CELL_STATES)[number];

/** Where a cell stands: the stage it is in and that stage's state. `score/done` is the end. */
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
  | { type: 'advance' }
  | { type: 'unblock' };

export function nextStage(stage: Stage): Stage | undefined {
  const i = STAGES.indexOf(stage);
  return STAGES[i + 1];
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
      const next = nextStage(pos.stage);
      if (pos.state !== 'done' || next === undefined) throw new Error(`cannot advance a ${pos.stage} stage that is ${pos.state}`);
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
