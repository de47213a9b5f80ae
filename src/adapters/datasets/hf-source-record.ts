import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../write-atomic.js';

/**
 * Where a cached split came from, beside it (`train.jsonl` -> `train.source.json`): the commit
 * its rows were read at and the files read. It is the lock of an unpinned source: fetching
 * again without --refresh reads that commit, not whatever the Hub holds by then.
 */
const sourceRecordSchema = z.object({
  dataset: z.string(),
  split: z.string(),
  /** The config the files were found under (the source may leave it to be looked up). */
  config: z.string().optional(),
  /** The revision the source named, if any. */
  requested: z.string().optional(),
  /** The commit the rows were read at: the repository's own, or of its parquet conversion. */
  revision: z.string(),
  /** The dataset's own commit, when `revision` is the parquet conversion of it. */
  sourceRevision: z.string().optional(),
  via: z.enum(['parquet', 'parquet-conversion', 'rows']),
  files: z.array(z.object({ path: z.string(), size: z.number().optional(), sha256: z.string().optional() })),
  partial: z.boolean(),
  rows: z.number().int().nonnegative(),
  /** Of the cache file: a record that does not match its file (a kill between the two writes) says nothing. */
  sha256: z.string(),
  fetchedAt: z.string(),
});

export type SourceRecord = z.infer<typeof sourceRecordSchema>;

export function recordPath(cachePath: string): string {
  return cachePath.replace(/\.jsonl$/, '') + '.source.json';
}

export function contentDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The record beside a cache file; undefined when absent or unreadable (an older agora wrote none). */
export async function readSourceRecord(cachePath: string): Promise<SourceRecord | undefined> {
  const file = recordPath(cachePath);
  return existsSync(file) ? parseRecord(await readFile(file, 'utf8').catch(() => '')) : undefined;
}

/** The record of a cache file that matches it (for listings), else undefined. */
export function readSourceRecordSync(cachePath: string): SourceRecord | undefined {
  const file = recordPath(cachePath);
  if (!existsSync(file) || !existsSync(cachePath)) return undefined;
  const record = parseRecord(readFileSync(file, 'utf8'));
  return record?.sha256 === contentDigest(readFileSync(cachePath, 'utf8')) ? record : undefined;
}

function parseRecord(text: string): SourceRecord | undefined {
  try {
    const parsed = sourceRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Written after the cache file, so a record never describes rows that are not there. */
export async function writeSourceRecord(cachePath: string, record: SourceRecord): Promise<void> {
  await writeFileAtomic(recordPath(cachePath), JSON.stringify(record, null, 2) + '\n');
}

/** Whether the record's rows are of `pin` (the name the source gave, or the commit read or converted). */
export function recordMatchesPin(record: SourceRecord, pin: string): boolean {
  return record.requested === pin || record.revision === pin || record.sourceRevision === pin;
}

/** "parquet at 0123456789", "parquet conversion at 0123456789 (of 89abcdef01)", "/rows at ...". */
export function describeRevision(r: Pick<SourceRecord, 'revision' | 'via' | 'sourceRevision' | 'partial'>): string {
  const at = r.revision.slice(0, 10);
  // /rows serves whatever is current: the commit is the one that was current when fetched.
  if (r.via === 'rows') return `datasets-server /rows, current revision ${at} when fetched`;
  const of = r.sourceRevision ? ` (of ${r.sourceRevision.slice(0, 10)})` : '';
  return `${r.via === 'parquet' ? 'parquet' : 'parquet conversion'} at ${at}${of}${r.partial ? ', partial: the Hub converted only the first part of the split' : ''}`;
}
