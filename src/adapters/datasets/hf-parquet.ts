import { createHash } from 'node:crypto';
import { pause } from '../pause.js';
import { getJson, HfError, hfGet, httpError, type HttpOptions } from './hf-http.js';
import { convertedParquetFiles, ownParquetFiles, type ParquetFile, type RevisionInfo, type SplitFiles } from './hf-parquet-layout.js';

/** The branch datasets-server writes its parquet conversion of a dataset's current revision to. */
export const CONVERT_BRANCH = 'refs/convert/parquet';

export interface ParquetSource {
  /** The commit the files are read at: the pin. */
  readonly revision: string;
  readonly via: 'parquet' | 'parquet-conversion';
  readonly config: string;
  readonly files: readonly ParquetFile[];
  /** datasets-server converted only the first part of a big split. */
  readonly partial: boolean;
  /** The dataset's own commit, when the files are the conversion of it. */
  readonly sourceRevision?: string;
}

/** No parquet at all (no files of its own, no conversion): the current commit, for the /rows fallback. */
export interface NoParquet {
  readonly via: 'none';
  readonly currentRevision: string;
}

/**
 * Where the split's parquet files are at `requested` (a commit, branch or tag; default main):
 * the repository's own files, else (when `requested` is a commit of the conversion branch, or
 * the current revision) datasets-server's conversion. A pinned older commit without parquet
 * of its own cannot be read: the conversion exists for the current revision only.
 */
export async function resolveParquet(
  http: HttpOptions,
  dataset: string,
  config: string | undefined,
  split: string,
  requested: string | undefined,
): Promise<ParquetSource | NoParquet> {
  const rev = requested ?? 'main';
  const info = await revisionInfo(http, dataset, rev);
  if (!info) throw new HfError('http', `Hugging Face Hub: ${dataset} has no revision "${rev}"`, 404);
  const own = found(ownParquetFiles(info, config, split), dataset, split);
  if (own) return { revision: info.sha, via: 'parquet', config: own.config, files: own.files, partial: false };
  const converted = found(convertedParquetFiles(info, config, split), dataset, split);
  if (converted) return { revision: info.sha, via: 'parquet-conversion', config: converted.config, files: converted.files, partial: converted.partial };
  const current = rev === 'main' ? info.sha : (await revisionInfo(http, dataset, 'main'))?.sha;
  if (info.sha !== current) {
    throw new HfError(
      'format',
      `${dataset}@${rev}: no parquet files for split "${split}" at this revision, and the Hub converts only the current revision (${current?.slice(0, 10) ?? 'none'}) to parquet`,
    );
  }
  const branch = await revisionInfo(http, dataset, CONVERT_BRANCH);
  const conversion = branch && found(convertedParquetFiles(branch, config, split), dataset, split);
  if (!branch || !conversion) return { via: 'none', currentRevision: info.sha };
  return {
    revision: branch.sha,
    via: 'parquet-conversion',
    config: conversion.config,
    files: conversion.files,
    partial: conversion.partial,
    sourceRevision: info.sha,
  };
}

function found(files: SplitFiles, dataset: string, split: string): Extract<SplitFiles, { kind: 'files' }> | undefined {
  if (files.kind === 'ambiguous') throw new HfError('format', `${dataset} has several configs with split "${split}" (${files.configs.join(', ')}); name one`);
  return files.kind === 'files' ? files : undefined;
}

/** GET /api/datasets/<id>/revision/<rev>?blobs=true (sizes and LFS digests); undefined on 404. */
async function revisionInfo(http: HttpOptions, dataset: string, rev: string): Promise<RevisionInfo | undefined> {
  const url = `${http.hubEndpoint}/api/datasets/${dataset}/revision/${encodeURIComponent(rev)}?blobs=true`;
  let body: unknown;
  try {
    body = await getJson(http, url, 'Hugging Face Hub');
  } catch (e) {
    // A missing revision is an answer (no conversion branch); a missing dataset is not.
    if (e instanceof HfError && e.status === 404 && rev !== 'main') return undefined;
    throw e;
  }
  const b = body as Partial<RevisionInfo>;
  if (typeof b.sha !== 'string' || !Array.isArray(b.siblings))
    throw new HfError('format', `Hugging Face Hub: GET ${url}: no "sha" and "siblings" in the answer`);
  return b as RevisionInfo;
}

/**
 * Reads the files in order, one row group at a time, handing each group's rows to `visit`
 * until it answers false (a limit reached: later files are not downloaded).
 */
export async function readParquetRows(http: HttpOptions, dataset: string, source: ParquetSource, visit: (rows: unknown[]) => boolean): Promise<void> {
  // Loaded here, not at start: runs read the cache and never parse parquet.
  const { parquetMetadata, parquetReadObjects } = await import('hyparquet');
  for (const file of source.files) {
    const buf = await download(http, dataset, source.revision, file);
    let groups: number[];
    try {
      groups = parquetMetadata(buf).row_groups.map((g) => Number(g.num_rows));
    } catch (e) {
      throw new HfError('format', `${dataset}@${source.revision.slice(0, 10)} ${file.path}: not a readable parquet file (${(e as Error).message})`);
    }
    let start = 0;
    for (const n of groups) {
      const rows = await parquetReadObjects({ file: buf, rowStart: start, rowEnd: start + n });
      start += n;
      if (!visit(rows.map(plain))) return;
    }
  }
}

/**
 * One file through the one GET with retries; a body cut short, or of another length or digest
 * than the listing says, is downloaded again (the GET retries only answers, not bodies).
 */
async function download(http: HttpOptions, dataset: string, revision: string, file: ParquetFile): Promise<ArrayBuffer> {
  const url = `${http.hubEndpoint}/datasets/${dataset}/resolve/${encodeURIComponent(revision)}/${file.path.split('/').map(encodeURIComponent).join('/')}`;
  for (let attempt = 0; ; attempt++) {
    const res = await hfGet(http, url, 'Hugging Face Hub', 'application/octet-stream');
    if (!res.ok) throw httpError('Hugging Face Hub', url, res.status, await res.text());
    let problem: string | undefined;
    let buf: ArrayBuffer | undefined;
    try {
      buf = await res.arrayBuffer();
    } catch (e) {
      problem = `the download was cut short (${(e as Error).message})`;
    }
    if (buf && file.size !== undefined && buf.byteLength !== file.size) problem = `got ${buf.byteLength} of ${file.size} bytes`;
    else if (buf && file.sha256 && createHash('sha256').update(new Uint8Array(buf)).digest('hex') !== file.sha256) problem = 'its sha256 is not the listed one';
    if (!problem && buf) return buf;
    if (attempt >= http.retries) throw new HfError('network', `Hugging Face Hub: GET ${url}: ${problem} (${attempt + 1} attempts)`);
    await pause(http.retryBaseMs * 2 ** attempt, http.signal);
    if (http.signal?.aborted) throw http.signal.reason;
  }
}

/** Parquet values as JSON: INT64 comes as bigint, timestamps as Date, binary as bytes. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}
