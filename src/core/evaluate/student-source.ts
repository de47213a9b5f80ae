import type { BaselineSubject, EvaluateSettings, GeneratorSpec } from '../run-config.js';
import { baselineServerLogFile, cellFiles, type CellRef } from '../run-layout.js';

/** The columns of a cell row the student's checkpoint is read from (store/cell-repo.ts CellRow). */
export interface CheckpointColumns {
  readonly progress_json: string | null;
  readonly checkpoint?: string | null;
}

/**
 * How a model under evaluation is reached: a checkpoint agora serves itself, an endpoint that is
 * already up, or a generator through its own (paid) API, for the generators' own scores.
 */
export type StudentSource =
  | { readonly kind: 'checkpoint'; readonly checkpoint: string; readonly serveCommand: string }
  | { readonly kind: 'endpoint'; readonly url: string }
  | { readonly kind: 'api'; readonly generator: GeneratorSpec };

/**
 * Changes when the model behind a subject changes, so its old outputs are not reused.
 * `evaluate.model` names the student server's model, so it is no part of a generator's identity.
 */
export function sourceIdentity(s: StudentSource, model: string | undefined): string {
  if (s.kind === 'api') return `api:${s.generator.provider}:${s.generator.model}${s.generator.baseURL ? `@${s.generator.baseURL}` : ''}`;
  const who = s.kind === 'checkpoint' ? `checkpoint:${s.checkpoint}` : `endpoint:${s.url}`;
  return model ? `${who} model:${model}` : who;
}

export function describeSource(s: StudentSource): string {
  if (s.kind === 'api') return `generator ${s.generator.id} (${s.generator.model} through its API)`;
  return s.kind === 'checkpoint' ? `checkpoint ${s.checkpoint}` : `endpoint ${s.url}`;
}

/**
 * The checkpoint in a cell's stored progress (stores from before the `checkpoint` column), or
 * what is wrong with that progress. A hand-written guard: core imports no packages, and one
 * optional field does not call for moving the read into the store.
 */
function progressCheckpoint(progressJson: string): { checkpoint?: string; problem?: string } {
  let p: unknown;
  try {
    p = JSON.parse(progressJson);
  } catch {
    return { problem: 'its stored progress (cells.progress_json) is not JSON' };
  }
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return { problem: 'its stored progress (cells.progress_json) is not a JSON object' };
  const c = (p as { checkpoint?: unknown }).checkpoint;
  if (c === undefined || c === null) return {};
  return typeof c === 'string' && c !== '' ? { checkpoint: c } : { problem: `the checkpoint in its stored progress is not a path: ${JSON.stringify(c)}` };
}

/**
 * The cell's trained checkpoint: the `checkpoint` column (schema v3), else the one in its
 * progress (the train stage's, or the evaluate stage's copy of it), for stores written before.
 */
export function cellCheckpoint(cell: CheckpointColumns): string | undefined {
  if (cell.checkpoint) return cell.checkpoint;
  return cell.progress_json ? progressCheckpoint(cell.progress_json).checkpoint : undefined;
}

/** The cell's checkpoint, else evaluate.endpoint, else why there is nothing to evaluate. */
export function cellStudentSource(cell: CheckpointColumns, evaluate: EvaluateSettings): StudentSource | { readonly missing: string } {
  const checkpoint = cellCheckpoint(cell);
  if (checkpoint) return { kind: 'checkpoint', checkpoint, serveCommand: evaluate.serveCommand };
  if (evaluate.endpoint) return { kind: 'endpoint', url: evaluate.endpoint };
  const problem = cell.progress_json ? progressCheckpoint(cell.progress_json).problem : undefined;
  return { missing: `no trained checkpoint recorded for this cell${problem ? ` (${problem})` : ''} and no evaluate.endpoint to evaluate instead` };
}

/** A baseline's source, or undefined when it is not evaluated (its configured scores are used). */
export function baselineSource(subject: BaselineSubject, evaluate: EvaluateSettings): StudentSource | undefined {
  const b = evaluate.baselines[subject];
  if (b.checkpoint) return { kind: 'checkpoint', checkpoint: b.checkpoint, serveCommand: b.serveCommand ?? evaluate.serveCommand };
  if (b.endpoint) return { kind: 'endpoint', url: b.endpoint };
  return undefined;
}

export function cellServerLog(runDir: string, cell: CellRef): string {
  return cellFiles(runDir, cell).serverLog;
}

export function baselineServerLog(runDir: string, subject: BaselineSubject): string {
  return baselineServerLogFile(runDir, subject);
}
