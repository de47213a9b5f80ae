/**
 * The trainer's progress file: JSON lines, appended while it runs (python/sft/sft.py writes
 * it; any trainer configured in `train.command` must too):
 *
 *   {"step": 10, "total_steps": 940, "epoch": 0.05, "loss": 1.23, "learning_rate": 1e-5,
 *    "tokens_per_second": 5400, "eta_seconds": 3600}
 *   {"status": "done", "checkpoint": "<dir>"}      or      {"status": "failed", "error": "..."}
 *
 * Parsing never throws: a line that is not one of these is counted and skipped, because a
 * trainer's stray print must not take the dashboard down.
 */

export interface TrainStepEvent {
  readonly kind: 'step';
  readonly step: number;
  readonly totalSteps: number;
  readonly epoch?: number;
  readonly loss?: number;
  readonly learningRate?: number;
  readonly tokensPerSecond?: number;
  readonly etaSeconds?: number;
}

export type TrainProgressEvent =
  | TrainStepEvent
  | { readonly kind: 'done'; readonly checkpoint: string }
  | { readonly kind: 'failed'; readonly error: string };

export interface ParsedProgress {
  readonly events: TrainProgressEvent[];
  /** Non-blank complete lines that were not progress records. */
  readonly ignored: number;
  /** Text after the last newline: a line still being written; feed it again with what follows. */
  readonly partial: string;
}

function optionalNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** One line to an event, or undefined when it is not a progress record. */
export function parseProgressLine(line: string): TrainProgressEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  if (o.status === 'done') return typeof o.checkpoint === 'string' && o.checkpoint !== '' ? { kind: 'done', checkpoint: o.checkpoint } : undefined;
  if (o.status === 'failed') return { kind: 'failed', error: typeof o.error === 'string' && o.error !== '' ? o.error : 'trainer reported failure without a message' };
  if (o.status !== undefined) return undefined;
  if (!isCount(o.step) || !isCount(o.total_steps)) return undefined;
  const ev: { -readonly [K in keyof TrainStepEvent]: TrainStepEvent[K] } = { kind: 'step', step: o.step, totalSteps: o.total_steps };
  const epoch = optionalNumber(o.epoch);
  const loss = optionalNumber(o.loss);
  const lr = optionalNumber(o.learning_rate);
  const tps = optionalNumber(o.tokens_per_second);
  const eta = optionalNumber(o.eta_seconds);
  if (epoch !== undefined) ev.epoch = epoch;
  if (loss !== undefined) ev.loss = loss;
  if (lr !== undefined) ev.learningRate = lr;
  if (tps !== undefined) ev.tokensPerSecond = tps;
  if (eta !== undefined) ev.etaSeconds = Math.max(0, eta);
  return ev;
}

/**
 * Parses the complete lines of `text`; the unfinished last line comes back as `partial`.
 * With `final` (the trainer has exited) a last line without its newline is parsed too.
 */
export function parseProgressLines(text: string, final = false): ParsedProgress {
  const events: TrainProgressEvent[] = [];
  let ignored = 0;
  if (final && text !== '' && !text.endsWith('\n')) text += '\n';
  const cut = text.lastIndexOf('\n');
  const complete = cut === -1 ? '' : text.slice(0, cut);
  const partial = cut === -1 ? text : text.slice(cut + 1);
  if (cut !== -1) {
    for (const rawLine of complete.split('\n')) {
      const line = rawLine.trim();
      if (line === '') continue;
      const ev = parseProgressLine(line);
      if (ev) events.push(ev);
      else ignored += 1;
    }
  }
  return { events, ignored, partial };
}
