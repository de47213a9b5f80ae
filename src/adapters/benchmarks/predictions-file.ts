import { readFile } from 'node:fs/promises';
import type { ItemResult } from '../../core/grade/types.js';
import { writeFileAtomic } from '../write-atomic.js';
import { DataFileError } from './record-reader.js';

export interface PredictionsFile {
  /** id -> output, ids as strings (`11` and `"11"` are the same MBPP task). */
  readonly outputs: Map<string, string>;
  /** id -> line number, for messages about a particular prediction. */
  readonly lines: Map<string, number>;
}

/** Reads `{"id": ..., "output": "..."}` lines; every problem names the file and line. */
export async function readPredictions(file: string): Promise<PredictionsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DataFileError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const outputs = new Map<string, string>();
  const lines = new Map<string, number>();
  text.split('\n').forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      throw new DataFileError(`${at}: invalid JSON: ${(err as Error).message}`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DataFileError(`${at}: expected {"id": ..., "output": "..."}`);
    const rec = v as Record<string, unknown>;
    if (typeof rec.id !== 'string' && typeof rec.id !== 'number') throw new DataFileError(`${at}: "id" must be a string or a number`);
    if (typeof rec.output !== 'string') throw new DataFileError(`${at}: "output" must be a string`);
    const id = String(rec.id);
    const seen = lines.get(id);
    if (seen !== undefined) throw new DataFileError(`${at}: id ${JSON.stringify(id)} repeats line ${seen}`);
    outputs.set(id, rec.output);
    lines.set(id, i + 1);
  });
  return { outputs, lines };
}

/** Per-item results as JSON lines, written whole or not at all. */
export async function writeItemResults(file: string, items: readonly ItemResult[]): Promise<void> {
  await writeFileAtomic(file, items.map((i) => JSON.stringify(i)).join('\n') + (items.length > 0 ? '\n' : ''));
}

/** `preds.jsonl` -> `preds.graded.jsonl`, next to the predictions. */
export function defaultResultsPath(predictionsFile: string): string {
  return predictionsFile.replace(/(\.jsonl?|\.json)?$/, '.graded.jsonl');
}
