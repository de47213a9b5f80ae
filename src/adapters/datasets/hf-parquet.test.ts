import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { convertedParquetFiles, globRegex, ownParquetFiles } from './hf-parquet-layout.js';
import { fetchHfRows } from './hf-rows.js';
import { recordPath } from './hf-source-record.js';
import { startFakeDatasetsServer, type FakeDatasetsServer } from './testing/fake-datasets-server.js';

// The rows change with each commit the test makes, so a pin can be seen to hold.
let version = 0;
const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, text: `row ${i} v${version}` }));
let server: FakeDatasetsServer;
let cacheDir: string;
const base = () => ({ endpoint: server.url, hubEndpoint: server.url, cacheDir, retryBaseMs: 1, env: {} });

beforeAll(async () => {
  server = await startFakeDatasetsServer(
    (d) => (d.startsWith('org/') ? [{ config: 'default', split: 'train', rows: rowsOf(d === 'org/rows-only' ? 150 : 120) }] : undefined),
    { layout: (d) => (d.startsWith('org/own') ? 'own' : d === 'org/rows-only' ? 'none' : 'conversion'), truncatedRows: [7] },
  );
});
afterAll(() => server.close());
beforeEach(() => {
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'agora-hf-pin-'));
  server.requests.length = 0;
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

const texts = (rows: unknown[]) => [...new Set(rows.map((r) => (r as { text: string }).text.replace(/^row \d+ /, '')))];

describe('parquet pinned to a revision', () => {
  it("reads the repository's own parquet files at its main commit, without the conversion branch", async () => {
    const res = await fetchHfRows({ dataset: 'org/own', split: 'train' }, base());
    expect(res.rows).toHaveLength(120);
    expect(res.source).toMatchObject({ via: 'parquet', revision: server.shas('org/own').main, config: 'default' });
    expect(res.source?.files.map((f) => f.path)).toEqual(['default/train-00000-of-00002.parquet', 'default/train-00001-of-00002.parquet']);
    expect(server.requests.some((r) => r.includes('convert'))).toBe(false);
  });

  it('keeps reading the recorded revision after the dataset moves on (a lock), until --refresh, which says it moved', async () => {
    const ref = { dataset: 'org/lock', split: 'train' };
    const first = await fetchHfRows(ref, base());
    const pinned = first.source?.revision;
    const then = version++;
    server.commit('org/lock');
    rmSync(first.cachePath);
    const again = await fetchHfRows(ref, base());
    expect(again.source?.revision).toBe(pinned);
    expect(texts(again.rows)).toEqual([`v${then}`]);
    expect(again.previousRevision).toBeUndefined();
    const refreshed = await fetchHfRows(ref, { ...base(), refresh: true });
    expect(refreshed.source?.revision).toBe(server.shas('org/lock').conversion);
    expect(refreshed.source?.revision).not.toBe(pinned);
    expect(refreshed.previousRevision).toBe(pinned);
    expect(texts(refreshed.rows)).toEqual([`v${version}`]);
  });

  it('reads a pinned commit even when main has moved on, and fetches again when the pin changes', async () => {
    const old = server.shas('org/own-pin').main;
    const then = version++;
    const now = server.commit('org/own-pin');
    const ref = { dataset: 'org/own-pin', split: 'train', revision: old };
    const res = await fetchHfRows(ref, base());
    expect(res.source).toMatchObject({ revision: old, requested: old });
    expect(texts(res.rows)).toEqual([`v${then}`]);
    expect((await fetchHfRows(ref, base())).fromCache).toBe(true);
    // The same cache file, another pin: not what the cache holds, so it is read again.
    const moved = await fetchHfRows({ ...ref, revision: now }, base());
    expect(moved.fromCache).toBe(false);
    expect(moved.source?.revision).toBe(now);
    expect(texts(moved.rows)).toEqual([`v${version}`]);
    await expect(fetchHfRows({ ...ref, revision: old }, { ...base(), offline: true })).rejects.toThrow(/not of the pinned revision/);
  });

  it('refuses an older commit that has no parquet of its own: the Hub converts only the current one', async () => {
    const old = server.shas('org/converted').main;
    version++;
    server.commit('org/converted');
    const err = await fetchHfRows({ dataset: 'org/converted', split: 'train', revision: old }, base()).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/no parquet files for split "train" at this revision, and the Hub converts only the current revision/);
    expect(server.requests.some((r) => r.startsWith('/rows'))).toBe(false);
  });

  it('falls back to /rows, 100 rows a request, only for a dataset with no parquet at all, and records the commit that was current', async () => {
    const res = await fetchHfRows({ dataset: 'org/rows-only', config: 'default', split: 'train' }, base());
    expect(res.rows).toHaveLength(150);
    expect((res.rows[7] as { text: string }).text).toBe(`row 7 v${version}`);
    expect(
      server.requests.filter((r) => r.startsWith('/rows') && r.includes('length=100')).map((r) => new URL(r, 'http://x').searchParams.get('offset')),
    ).toEqual(['0', '100']);
    // A row served with truncated cells is asked again on its own.
    expect(server.requests.some((r) => r.includes('offset=7&length=1'))).toBe(true);
    expect(res.source).toMatchObject({ via: 'rows', revision: server.shas('org/rows-only').main, files: [] });
    expect(JSON.parse(readFileSync(recordPath(res.cachePath), 'utf8')).via).toBe('rows');
  });

  it('a record that does not match its cache file (a kill between the two writes) names no revision', async () => {
    const res = await fetchHfRows({ dataset: 'org/own', split: 'train' }, base());
    rmSync(res.cachePath);
    expect(existsSync(recordPath(res.cachePath))).toBe(true);
    writeFileSync(res.cachePath, '{"id":1}\n');
    const cached = await fetchHfRows({ dataset: 'org/own', split: 'train' }, base());
    expect(cached.fromCache).toBe(true);
    expect(cached.source).toBeUndefined();
  });
});

describe('parquet layout', () => {
  const sib = (...names: string[]) => names.map((rfilename) => ({ rfilename, size: 1 }));

  it("matches the README's data_files globs in their three forms", () => {
    expect(globRegex('main/train-*').test('main/train-00000-of-00001.parquet')).toBe(true);
    expect(globRegex('main/train-*').test('main/sub/train-0.parquet')).toBe(false);
    expect(globRegex('data/**/*.parquet').test('data/a/b/c.parquet')).toBe(true);
    const info = {
      sha: 'x',
      siblings: sib('main/train-0.parquet', 'main/test-0.parquet', 'other/train.jsonl'),
      cardData: {
        configs: [
          {
            config_name: 'main',
            data_files: [
              { split: 'train', path: 'main/train-*' },
              { split: 'test', path: ['main/test-*'] },
            ],
          },
          { config_name: 'other', data_files: 'other/*.jsonl' },
        ],
      },
    };
    expect(ownParquetFiles(info, 'main', 'test')).toMatchObject({ kind: 'files', files: [{ path: 'main/test-0.parquet' }] });
    expect(ownParquetFiles(info, undefined, 'test')).toMatchObject({ kind: 'files', config: 'main' });
    // JSON Lines are not parquet: the conversion has to be read instead.
    expect(ownParquetFiles(info, 'other', 'train')).toEqual({ kind: 'none' });
    expect(ownParquetFiles(info, undefined, 'train')).toEqual({ kind: 'ambiguous', configs: ['main', 'other'] });
    expect(ownParquetFiles({ sha: 'x', siblings: sib('data/train-00000-of-00002.parquet', 'data/test-0.parquet') }, undefined, 'train')).toMatchObject({
      kind: 'files',
      files: [{ path: 'data/train-00000-of-00002.parquet' }],
    });
  });

  it('reads a partial conversion when the split was too big to convert whole', () => {
    const info = { sha: 'x', siblings: sib('default/partial-train/0001.parquet', 'default/partial-train/0000.parquet', 'default/test/0000.parquet') };
    expect(convertedParquetFiles(info, undefined, 'train')).toMatchObject({
      kind: 'files',
      partial: true,
      files: [{ path: 'default/partial-train/0000.parquet' }, { path: 'default/partial-train/0001.parquet' }],
    });
    expect(convertedParquetFiles(info, 'default', 'test')).toMatchObject({ kind: 'files', partial: false });
  });
});
