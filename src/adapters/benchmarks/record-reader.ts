import { readFile } from 'node:fs/promises';

/** One record of a data file and where it came from, for error messages. */
export interface SourcedRecord {
  readonly value: Record<string, unknown>;
  /** `file:line` for JSON lines, `file[index]` for a JSON array. */
  readonly where: string;
  /** 0-based position among the records (GSM8K and AlpacaEval ids). */
  readonly index: number;
}

export class DataFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFileError';
  }
}

/** Parses JSON lines or a JSON array (by content, not by extension), naming file and line on errors. */
export function parseRecords(text: string, file: string): SourcedRecord[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(text);
    } catch (err) {
      throw new DataFileError(`${file}: invalid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(arr)) throw new DataFileError(`${file}: expected a JSON array of records`);
    return arr.map((value: unknown, index) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new DataFileError(`${file}[${index}]: expected an object`);
      }
      return { value: value as Record<string, unknown>, where: `${file}[${index}]`, index };
    });
  }
  const out: SourcedRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new DataFileError(`${file}:${i + 1}: invalid JSON: ${(err as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DataFileError(`${file}:${i + 1}: expected a JSON object`);
    }
    out.push({ value: value as Record<string, unknown>, where: `${file}:${i + 1}`, index: out.length });
  });
  return out;
}

export async function readRecords(file: string): Promise<SourcedRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DataFileError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseRecords(text, file);
}

export function str(rec: SourcedRecord, field: string, opts: { optional?: boolean } = {}): string {
  const v = rec.value[field];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (v === undefined && opts.optional) return '';
  throw new DataFileError(`${rec.where}: field "${field}" ${v === undefined ? 'is missing' : 'must be a string'}`);
}

export function strList(rec: SourcedRecord, field: string): string[] {
  const v = rec.value[field];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new DataFileError(`${rec.where}: field "${field}" ${v === undefined ? 'is missing' : 'must be a list of strings'}`);
}
