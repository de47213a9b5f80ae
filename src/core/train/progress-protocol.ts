/**
 * The trainer's progress file: JSON lines, appended while it runs (python/sft/sft.py writes
 * it; any trainer configured in `train.command` must too):
 *
 *   {"step": 10, "total_steps": 940, "epoch": 0.05, "loss": 1.23, "learning_rate": 1e-5,
 *    "tokens_per_second": 5400, "eta_seconds": 3600}
 *   {"status": "done", "checkpoint": "<dir>"}      or      {"status": "failed", "error": "..."}
 *
 * Parsing never throws: a line that is not one of these is counted and skipped, because a
 * trainer's stray print must not take the dashboard down; the first one is kept with its line
 * number and what is wrong with it, so a trainer speaking another shape is told, not taken for
 * one that wrote nothing. A hand-written guard rather than a zod schema: core imports no
 * packages, and the protocol's few fields read as plainly here, next to its description.
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

export type TrainProgressEvent = TrainStepEvent | { readonly kind: 'done'; readonly checkpoint: string } | { readonly kind: 'failed'; readonly error: string };

export interface IgnoredLine {
  readonly line: number;
  readonly why: string;
}

export interface ParsedProgress {
  readonly events: TrainProgressEvent[];
  /** Non-blank complete lines that were not progress records. */
  readonly ignored: number;
  /** The first of them: its line number (counted from `firstLine`) and why it is not a record. */
  readonly firstIgnored?: IgnoredLine;
  /** Complete lines read (blank ones included): where the next call's `firstLine` is. */
  readonly lines: number;
  /** Text after the last newline: a line still being written; feed it again with what follows. */
  readonly partial: string;
}

function optionalNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** One line to an event, or why it is not a progress record. */
function readProgressLine(line: string): TrainProgressEvent | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { problem: 'not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problem: 'not a JSON object' };
  const o = raw as Record<string, unknown>;
  if (o.status === 'done')
    return typeof o.checkpoint === 'string' && o.checkpoint !== ''
      ? { kind: 'done', checkpoint: o.checkpoint }
      : { problem: 'status "done" without a checkpoint' };
  if (o.status === 'failed')
    return { kind: 'failed', error: typeof o.error === 'string' && o.error !== '' ? o.error : 'trainer reported failure without a message' };
  if (o.status !== undefined) return { problem: `status must be "done" or "failed", got ${JSON.stringify(o.status)}` };
  if (!isCount(o.step) || !isCount(o.total_steps))
    return { problem: `step and total_steps must be counts, got ${JSON.stringify(o.step)} and ${JSON.stringify(o.total_steps)}` };
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
 * `firstLine`: the file's line number of the first line of `text` (for firstIgnored).
 */
export function parseProgressLines(text: string, final = false, firstLine = 1): ParsedProgress {
  const events: TrainProgressEvent[] = [];
  let ignored = 0;
  let firstIgnored: IgnoredLine | undefined;
  if (final && text !== '' && !text.endsWith('\n')) text += '\n';
  const cut = text.lastIndexOf('\n');
  const complete = cut === -1 ? [] : text.slice(0, cut).split('\n');
  const partial = cut === -1 ? text : text.slice(cut + 1);
  complete.forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '') return;
    const r = readProgressLine(line);
    if (!('problem' in r)) events.push(r);
    else if (ignored++ === 0) firstIgnored = { line: firstLine + i, why: `${r.problem}: ${line.slice(0, 120)}` };
  });
  return { events, ignored, ...(firstIgnored && { firstIgnored }), lines: complete.length, partial };
}
