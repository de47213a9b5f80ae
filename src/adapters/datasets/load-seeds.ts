import path from 'node:path';
import type { SeedSource } from '../../config/schema.js';
import { normalizeSeedItem } from '../../core/parse/seed-normalize.js';
import type { SeedItem } from '../../core/prompts/types.js';
import type { Domain } from '../../core/setting.js';
import { lookupField, matchesFilters, type RowFilter } from './field-map.js';
import { fetchHfRows, type HfFetchOptions } from './hf-rows.js';
import { readRowFile, SeedDataError, type LocatedRow } from './row-file.js';

/** A config seed source, optionally with row filters (the manifest uses them, e.g. MBPP's train ids). */
export type SeedSourceSpec = SeedSource & { readonly filter?: RowFilter | readonly RowFilter[] };

export interface LoadSeedOptions {
  /** Resolves a relative `path` (the config file's folder); default: the working folder. */
  readonly baseDir?: string;
  /** Bring responses to the domain's conventions (see normalizeSeedItem). */
  readonly normalize?: Domain;
  /** Every row must have a response (instance generation, quality enhancement). */
  readonly requireResponse?: boolean;
  readonly hf?: HfFetchOptions;
}

/**
 * Seed items from a local JSON/JSONL file or a Hugging Face split, through the field
 * mapping. Rows failing the filter are skipped silently; a kept row missing a mapped field
 * is an error naming the file and line (`seeds/x.jsonl:17: field "question" missing`).
 */
export async function loadSeedItems(source: SeedSourceSpec, opts: LoadSeedOptions = {}): Promise<SeedItem[]> {
  let rows: LocatedRow[];
  if ('path' in source) {
    const file = path.resolve(opts.baseDir ?? process.cwd(), source.path);
    rows = await readRowFile(file, source.format);
  } else {
    const ref = { dataset: source.hf, config: source.config, split: source.split ?? 'train', revision: source.revision };
    const res = await fetchHfRows(ref, { ...opts.hf, filter: source.filter, limit: source.limit });
    const label = `hf:${ref.dataset}${ref.config ? `/${ref.config}` : ''}/${ref.split} (cache ${res.cachePath})`;
    rows = res.rows.map((row, i) => ({ row, where: `${label} row ${i + 1}` }));
  }
  if (opts.requireResponse && !source.response) {
    throw new SeedDataError(`${describeSource(source)}: this setting needs responses, but the source maps no "response" field`);
  }
  const items: SeedItem[] = [];
  for (const { row, where } of rows) {
    if (source.limit !== undefined && items.length >= source.limit) break;
    if (!matchesFilters(row, source.filter)) continue;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new SeedDataError(`${where}: expected a JSON object`);
    const instruction = lookupField(row, source.instruction);
    if (!instruction.ok) throw new SeedDataError(`${where}: ${instruction.problem}`);
    let item: SeedItem = { instruction: instruction.value };
    if (source.response) {
      const response = lookupField(row, source.response);
      if (!response.ok) throw new SeedDataError(`${where}: ${response.problem}`);
      item = { instruction: instruction.value, response: response.value };
    }
    items.push(opts.normalize ? normalizeSeedItem(opts.normalize, item) : item);
  }
  return items;
}

export function describeSource(source: SeedSourceSpec): string {
  if ('path' in source) return source.path;
  return `hf:${source.hf}${source.config ? `/${source.config}` : ''}/${source.split ?? 'train'}${source.revision ? `@${source.revision}` : ''}`;
}
