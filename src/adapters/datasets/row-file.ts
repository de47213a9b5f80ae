import { readFile } from 'node:fs/promises';
import { displayPath } from './paths.js';

/** Bad seed data, with the file and line (or row) in the message. */
export class SeedDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedDataError';
  }
}

export interface LocatedRow {
  readonly row: unknown;
  /** "seeds/x.jsonl:17" */
  readonly where: string;
}

export type RowFormat = 'json' | 'jsonl';

export function detectFormat(file: string, text: string): RowFormat {
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  if (/\.json$/i.test(file)) return 'json';
  return text.trimStart().startsWith('[') ? 'json' : 'jsonl';
}

/** Rows of a JSON array file or a JSON Lines file, each with its line for error messages. */
export async function readRowFile(file: string, format?: RowFormat): Promise<LocatedRow[]> {
  const shown = displayPath(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SeedDataError(code === 'ENOENT' ? `${shown}: file not found` : `${shown}: cannot read (${(err as Error).message})`);
  }
  return (format ?? detectFormat(file, text)) === 'jsonl' ? jsonlRows(shown, text) : jsonRows(shown, text);
}

export function jsonlRows(shown: string, text: string): LocatedRow[] {
  const rows: LocatedRow[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${shown}:${i + 1}`;
    try {
      rows.push({ row: JSON.parse(line), where });
    } catch (err) {
      throw new SeedDataError(`${where}: invalid JSON (${(err as Error).message})`);
    }
  });
  return rows;
}

export function jsonRows(shown: string, text: string): LocatedRow[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? lineAt(text, Number(pos[1])) : undefined;
    throw new SeedDataError(`${shown}${line ? `:${line}` : ''}: invalid JSON (${msg})`);
  }
  if (!Array.isArray(value)) throw new SeedDataError(`${shown}: expected a JSON array of rows`);
  const lines = elementLines(text);
  return value.map((row, i) => ({ row, where: `${shown}:${lines[i] ?? '?'}` }));
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line on which each element of the top-level array starts (one pass, strings skipped). */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expecting = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 1 && expecting && c !== undefined && !/[\s,\]]/.test(c)) {
      lines.push(line);
      expecting = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expecting = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expecting = true;
  }
  return lines;
}
