import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parquetWriteBuffer } from 'hyparquet-writer';

/** One split of a fake dataset. */
export interface FakeSplit {
  readonly config: string;
  readonly split: string;
  readonly rows: readonly unknown[];
}

/**
 * How the stand-in Hub holds a dataset: parquet files of its own (declared in the README's
 * `configs:`), only datasets-server's conversion on refs/convert/parquet (its own data being
 * JSON Lines), or no parquet at all (the /rows fallback).
 */
export type FakeLayout = 'own' | 'conversion' | 'none';

interface Commit {
  readonly sha: string;
  readonly convertSha: string;
  readonly splits: readonly FakeSplit[];
}

export interface FakeHubState {
  /** Each dataset's commits, oldest first; the last is main. */
  readonly commits: Map<string, Commit[]>;
  truncate: number;
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** A parquet file (snappy, as the Hub's conversion writes) of rows, columns typed from their values. */
export function parquetOf(rows: readonly unknown[], rowGroupSize: number): ArrayBuffer {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r as object)))];
  const columnData = names.map((name) => {
    const values = rows.map((r) => (r as Record<string, unknown>)[name] ?? null);
    const present = values.filter((v) => v !== null);
    if (present.length && present.every((v) => typeof v === 'string')) return { name, data: values, type: 'STRING' as const };
    if (present.length && present.every((v) => Number.isInteger(v)))
      return { name, data: values.map((v) => (v === null ? null : BigInt(v as number))), type: 'INT64' as const };
    if (present.length && present.every((v) => typeof v === 'number')) return { name, data: values, type: 'DOUBLE' as const };
    if (present.length && present.every((v) => typeof v === 'boolean')) return { name, data: values, type: 'BOOLEAN' as const };
    return { name, data: values, type: 'JSON' as const };
  });
  return parquetWriteBuffer({ columnData, rowGroupSize });
}

export function commitFor(state: FakeHubState, dataset: string, splits: readonly FakeSplit[]): Commit {
  const list = state.commits.get(dataset) ?? [];
  const n = list.length;
  const c = { sha: sha1(`${dataset}#${n}`), convertSha: sha1(`convert:${dataset}#${n}`), splits };
  state.commits.set(dataset, [...list, c]);
  return c;
}

interface Blob {
  readonly path: string;
  readonly bytes: Buffer;
}

/** The files of one commit (the dataset's own, or its conversion's), with parquet built from the rows. */
function filesOf(c: Commit, layout: FakeLayout, conversion: boolean, perFile: number): Blob[] {
  const blobs: Blob[] = [];
  if (!conversion) blobs.push({ path: 'README.md', bytes: Buffer.from('---\n---\n# fake\n') });
  for (const s of c.splits) {
    const chunks: (readonly unknown[])[] = [];
    for (let i = 0; i < s.rows.length || (i === 0 && chunks.length === 0); i += perFile) chunks.push(s.rows.slice(i, i + perFile));
    if (!conversion && layout !== 'own') {
      blobs.push({ path: `${s.config}/${s.split}.jsonl`, bytes: Buffer.from(s.rows.map((r) => JSON.stringify(r)).join('\n')) });
      continue;
    }
    chunks.forEach((rows, i) => {
      const name = conversion
        ? `${s.config}/${s.split}/${String(i).padStart(4, '0')}.parquet`
        : `${s.config}/${s.split}-${String(i).padStart(5, '0')}-of-${String(chunks.length).padStart(5, '0')}.parquet`;
      blobs.push({ path: name, bytes: Buffer.from(parquetOf(rows.length ? rows : [{}], 40)) });
    });
  }
  return blobs;
}

/**
 * Answers the Hub's routes: GET /api/datasets/<id>/revision/<rev>?blobs=true (main, a commit,
 * or refs/convert/parquet) and GET /datasets/<id>/resolve/<rev>/<path>, which redirects to a
 * CDN path as the Hub does. Returns false for a path that is not the Hub's.
 */
export function answerHub(
  req: IncomingMessage,
  res: ServerResponse,
  state: FakeHubState,
  lookup: (dataset: string) => { splits: readonly FakeSplit[]; layout: FakeLayout } | undefined,
  send: (res: ServerResponse, status: number, body: unknown) => void,
): boolean {
  const url = new URL(req.url ?? '/', 'http://x');
  const cdn = /^\/cdn\/([^/]+)\/([^/]+)\/(.+)$/.exec(url.pathname);
  const api = /^\/api\/datasets\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
  const resolve = /^\/datasets\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
  const match = api ?? resolve ?? (cdn && [cdn[0], decodeURIComponent(cdn[1] as string), cdn[2], cdn[3]]);
  if (!match) return false;
  const dataset = match[1] as string;
  const found = lookup(dataset);
  if (!found) return (send(res, 404, { error: 'Repository not found' }), true);
  const commits = state.commits.get(dataset) ?? [commitFor(state, dataset, found.splits)];
  const main = commits.at(-1) as Commit;
  const rev = decodeURIComponent(match[2] as string);
  const perFile = 100;
  let files: Blob[] | undefined;
  let sha: string | undefined;
  if (rev === 'refs/convert/parquet' || commits.some((c) => c.convertSha === rev)) {
    const c = rev === 'refs/convert/parquet' ? main : commits.find((x) => x.convertSha === rev);
    if (c && found.layout !== 'none') [files, sha] = [filesOf(c, found.layout, true, perFile), c.convertSha];
  } else {
    const c = rev === 'main' ? main : commits.find((x) => x.sha === rev);
    if (c) [files, sha] = [filesOf(c, found.layout, false, perFile), c.sha];
  }
  if (!files || !sha) return (send(res, 404, { error: `Invalid rev id: ${rev}` }), true);
  if (api) {
    const cardData =
      found.layout === 'own'
        ? {
            configs: [...new Set(main.splits.map((s) => s.config))].map((config) => ({
              config_name: config,
              data_files: main.splits.filter((s) => s.config === config).map((s) => ({ split: s.split, path: `${config}/${s.split}-*` })),
            })),
          }
        : {};
    const siblings = files.map((f) => ({
      rfilename: f.path,
      size: f.bytes.length,
      blobId: sha1(f.path),
      lfs: { sha256: createHash('sha256').update(f.bytes).digest('hex'), size: f.bytes.length, pointerSize: 130 },
    }));
    return (send(res, 200, { id: dataset, sha, private: false, cardData, siblings }), true);
  }
  const path = match[3] as string;
  const blob = files.find((f) => f.path === decodeURIComponent(path));
  if (!blob) return (send(res, 404, { error: 'Entry not found' }), true);
  if (resolve) {
    res.writeHead(302, { location: `/cdn/${encodeURIComponent(dataset)}/${match[2]}/${path}`, 'x-repo-commit': sha });
    return (res.end(), true);
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(blob.bytes.length) });
  if (state.truncate > 0) {
    state.truncate--;
    // Headers promise the whole file; the connection drops half way.
    res.write(blob.bytes.subarray(0, blob.bytes.length >> 1), () => res.destroy());
    return true;
  }
  return (res.end(blob.bytes), true);
}
