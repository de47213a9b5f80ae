import type { StageProgress } from '../snapshot.js';
import type { IgnoredLine, ParsedProgress, TrainProgressEvent } from './progress-protocol.js';

export type TrainStageProgress = Extract<StageProgress, { stage: 'train' }>;

export interface LossPoint {
  readonly step: number;
  readonly loss: number;
}

export type TrainerResult = { readonly kind: 'done'; readonly checkpoint: string } | { readonly kind: 'failed'; readonly error: string };

/** Everything the progress file has said so far, folded; what the store keeps per train job. */
export interface TrainProgressSummary {
  readonly step: number;
  readonly totalSteps: number;
  readonly epoch?: number;
  readonly loss?: number;
  readonly learningRate?: number;
  readonly tokensPerSecond?: number;
  readonly etaSeconds?: number;
  readonly losses: readonly LossPoint[];
  /** The trainer's last word: its done or failed line. */
  readonly result?: TrainerResult;
  readonly records: number;
  readonly ignored: number;
  /** The first line that was not a record, so an outcome can say what the trainer wrote instead. */
  readonly firstIgnored?: IgnoredLine;
}

export const EMPTY_TRAIN_PROGRESS: TrainProgressSummary = { step: 0, totalSteps: 0, losses: [], records: 0, ignored: 0 };

/**
 * A restarted trainer resumes from its last checkpoint and logs those steps again: a step at
 * or before the last known one cuts the curve back there, so it shows the run that counts.
 */
function appendLoss(losses: readonly LossPoint[], point: LossPoint): LossPoint[] {
  const kept = losses.length > 0 && (losses.at(-1) as LossPoint).step >= point.step ? losses.filter((p) => p.step < point.step) : [...losses];
  kept.push(point);
  return kept;
}

export function foldProgressEvent(s: TrainProgressSummary, ev: TrainProgressEvent): TrainProgressSummary {
  switch (ev.kind) {
    case 'step': {
      // A later step line after done/failed means the trainer was started again.
      const { result: _dropped, ...rest } = s;
      return {
        ...rest,
        step: ev.step,
        totalSteps: ev.totalSteps,
        epoch: ev.epoch,
        loss: ev.loss ?? s.loss,
        learningRate: ev.learningRate,
        tokensPerSecond: ev.tokensPerSecond,
        etaSeconds: ev.etaSeconds,
        losses: ev.loss === undefined ? s.losses : appendLoss(s.losses, { step: ev.step, loss: ev.loss }),
        records: s.records + 1,
      };
    }
    case 'done':
      return {
        ...s,
        step: s.totalSteps > 0 ? s.totalSteps : s.step,
        etaSeconds: 0,
        result: { kind: 'done', checkpoint: ev.checkpoint },
        records: s.records + 1,
      };
    case 'failed':
      return { ...s, result: { kind: 'failed', error: ev.error }, records: s.records + 1 };
    default: {
      const never: never = ev;
      throw new Error(`unknown progress event ${JSON.stringify(never)}`);
    }
  }
}

export function foldProgress(s: TrainProgressSummary, parsed: Pick<ParsedProgress, 'events' | 'ignored' | 'firstIgnored'>): TrainProgressSummary {
  const folded = parsed.events.reduce(foldProgressEvent, s);
  if (parsed.ignored === 0) return folded;
  const firstIgnored = folded.firstIgnored ?? parsed.firstIgnored;
  return { ...folded, ignored: folded.ignored + parsed.ignored, ...(firstIgnored && { firstIgnored }) };
}

/** Loss per logged step, oldest first (CellDetail.lossCurve). */
export function lossCurveOf(s: TrainProgressSummary): number[] {
  return s.losses.map((p) => p.loss);
}

/** Loss curve straight from events, with the same resume rule as the summary. */
export function lossCurve(events: readonly TrainProgressEvent[]): number[] {
  return lossCurveOf(events.reduce(foldProgressEvent, EMPTY_TRAIN_PROGRESS));
}

export function toStageProgress(s: TrainProgressSummary): TrainStageProgress {
  return {
    stage: 'train',
    step: s.step,
    totalSteps: s.totalSteps,
    ...(s.loss !== undefined ? { loss: s.loss } : {}),
    ...(s.etaSeconds !== undefined ? { etaSeconds: s.etaSeconds } : {}),
    ...(s.result?.kind === 'done' ? { checkpoint: s.result.checkpoint } : {}),
  };
}
