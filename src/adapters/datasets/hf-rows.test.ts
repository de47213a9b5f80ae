import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parquetMetadata } from 'hyparquet';
import { HfError } from './hf-http.js';
import { fetchHfRows, hfCachePath } from './hf-rows.js';
import { recordPath } from './hf-source-record.js';
import { loadSeedItems } from './load-seeds.js';
import { startFakeDatasetsServer, type FakeDatasetsServer } from './testing/fake-datasets-server.js';

const rows = Array.from({ length: 250 }, (_, i) => ({ id: i, question: `q${i}`, answer: `a${i}\n#### ${i}`, kind: i % 2 ? 'odd' : 'even', text: `row ${i}` }));
let server: FakeDatasetsServer;
let cacheDir: string;
const base = () => ({ endpoint: server.url, hubEndpoint: server.url, cacheDir, retryBaseMs: 1, env: {} });

beforeAll(async () => {
  server = await startFakeDatasetsServer(
    (d) =>
      d === 'org/numbers'
        ? [
            { config: 'main', split: 'train', rows },
            { config: 'main', split: 'test', rows: rows.slice(0, 3) },
          ]
        : d === 'org/two-configs'
          ? [
              { config: 'a', split: 'train', rows: [] },
              { config: 'b', split: 'train', rows: [] },
            ]
          : undefined,
    {},
  );
});
afterAll(() => server.close());
beforeEach(() => {
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'agora-hf-'));
  server.requests.length = 0;
  server.authHeaders.length = 0;
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('fetchHfRows', () => {
  it('reads a split from the parquet files of its conversion, pinned to the commit it read, and caches it', async () => {
    const res = await fetchHfRows({ dataset: 'org/numbers', config: 'main', split: 'train' }, base());
    expect(res.fromCache).toBe(false);
    expect(res.rows).toHaveLength(250);
    expect(res.rows[249]).toEqual(rows[249]);
    const { main, conversion } = server.shas('org/numbers');
    expect(res.source).toMatchObject({ via: 'parquet-conversion', revision: conversion, sourceRevision: main, config: 'main', rows: 250, partial: false });
    expect(res.source?.files.map((f) => f.path)).toEqual(['main/train/0000.parquet', 'main/train/0001.parquet', 'main/train/0002.parquet']);
    // Downloads name the commit, never the moving branch; nothing is paged through /rows.
    expect(server.requests.filter((r) => r.includes('/resolve/'))).toEqual(
      [0, 1, 2].map((i) => `/datasets/org/numbers/resolve/${conversion}/main/train/000${i}.parquet`),
    );
    expect(server.requests.some((r) => r.startsWith('/rows'))).toBe(false);
    expect(readFileSync(res.cachePath, 'utf8').trim().split('\n')).toHaveLength(250);
    expect(JSON.parse(readFileSync(recordPath(res.cachePath), 'utf8'))).toMatchObject({ revision: conversion, rows: 250 });
  });

  it("serves snappy-compressed parquet, as the Hub's conversion writes", async () => {
    const { conversion } = server.shas('org/numbers');
    const buf = await (await fetch(`${server.url}/datasets/org/numbers/resolve/${conversion}/main/test/0000.parquet`)).arrayBuffer();
    expect(parquetMetadata(buf).row_groups[0]?.columns.map((c) => c.meta_data?.codec)).toContain('SNAPPY');
  });

  it('reads the cache next time without a request, and says which revision it holds', async () => {
    const ref = { dataset: 'org/numbers', config: 'main', split: 'train' };
    await fetchHfRows(ref, base());
    const before = server.requests.length;
    const again = await fetchHfRows(ref, base());
    expect(again.fromCache).toBe(true);
    expect(again.rows).toHaveLength(250);
    expect(again.source?.revision).toBe(server.shas('org/numbers').conversion);
    expect(server.requests.length).toBe(before);
    const fresh = await fetchHfRows(ref, { ...base(), refresh: true });
    expect(fresh.fromCache).toBe(false);
    expect(server.requests.length).toBeGreaterThan(before);
  });

  it('offline: reads the cache, and fails at once without a request when nothing is cached', async () => {
    const ref = { dataset: 'org/numbers', config: 'main', split: 'test' };
    await expect(fetchHfRows(ref, { ...base(), offline: true })).rejects.toThrow(/not downloaded yet/);
    expect(server.requests).toHaveLength(0);
    await fetchHfRows(ref, base());
    const before = server.requests.length;
    expect((await fetchHfRows(ref, { ...base(), offline: true })).rows).toHaveLength(3);
    expect(server.requests.length).toBe(before);
  });

  it('filters rows and stops downloading files once the limit is reached', async () => {
    const res = await fetchHfRows(
      { dataset: 'org/numbers', config: 'main', split: 'train' },
      { ...base(), filter: [{ field: 'kind', equals: 'odd' }], limit: 30 },
    );
    expect(res.rows).toHaveLength(30);
    expect(res.rows.every((r) => (r as { kind: string }).kind === 'odd')).toBe(true);
    expect(server.requests.filter((r) => r.includes('/resolve/'))).toHaveLength(1);
    expect(res.cachePath).not.toBe(hfCachePath({ dataset: 'org/numbers', config: 'main', split: 'train' }, { cacheDir }));
  });

  it('finds the config when none is given, and asks for one when several have the split', async () => {
    const res = await fetchHfRows({ dataset: 'org/numbers', split: 'test' }, base());
    expect(res.rows).toHaveLength(3);
    expect(res.source?.config).toBe('main');
    await expect(fetchHfRows({ dataset: 'org/two-configs', split: 'train' }, base())).rejects.toThrow(/several configs.*a, b/);
  });

  it('reports an HTTP error with the server message and writes no cache', async () => {
    const err = await fetchHfRows({ dataset: 'org/missing', config: 'x', split: 'train' }, base()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HfError);
    expect((err as HfError).status).toBe(404);
    expect((err as Error).message).toMatch(/Hugging Face Hub: GET .*\/api\/datasets\/org\/missing\/revision\/main.*HTTP 404: Repository not found/);
    expect(existsSync(hfCachePath({ dataset: 'org/missing', config: 'x', split: 'train' }, { cacheDir }))).toBe(false);
  });

  it('retries 429 and 5xx, honouring Retry-After, then succeeds', async () => {
    server.failNext(429, 1, 0);
    server.failNext(503, 1);
    const res = await fetchHfRows({ dataset: 'org/numbers', config: 'main', split: 'test' }, base());
    expect(res.rows).toHaveLength(3);
    // Two refused, then the revision, the conversion branch and the file (its redirect and the CDN).
    expect(server.requests).toHaveLength(6);
  });

  it('gives up after the retries and leaves no partial cache', async () => {
    server.failNext(500, 3);
    const err = await fetchHfRows({ dataset: 'org/numbers', config: 'main', split: 'train' }, { ...base(), retries: 2 }).catch((e: unknown) => e);
    expect((err as HfError).status).toBe(500);
    expect(server.requests).toHaveLength(3);
    const dir = path.dirname(hfCachePath({ dataset: 'org/numbers', config: 'main', split: 'train' }, { cacheDir }));
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('downloads again a file whose connection dropped half way, and gives up after the retries with no cache', async () => {
    server.truncateNext(1);
    const ok = await fetchHfRows({ dataset: 'org/numbers', config: 'main', split: 'train' }, base());
    expect(ok.rows).toEqual(rows);
    const first = `/cdn/org%2Fnumbers/${server.shas('org/numbers').conversion}/main/train/0000.parquet`;
    expect(server.requests.filter((r) => r === first)).toHaveLength(2);
    server.truncateNext(3);
    const ref = { dataset: 'org/numbers', config: 'main', split: 'test' };
    const err = await fetchHfRows(ref, { ...base(), retries: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HfError);
    expect((err as Error).message).toMatch(/0000\.parquet: the download was cut short .*\(3 attempts\)/);
    expect(existsSync(hfCachePath(ref, { cacheDir }))).toBe(false);
    expect(existsSync(recordPath(hfCachePath(ref, { cacheDir })))).toBe(false);
  });

  it('reports an unreachable endpoint as a network error', async () => {
    const port = await closedPort();
    const err = await fetchHfRows(
      { dataset: 'org/numbers', config: 'main', split: 'train' },
      { ...base(), hubEndpoint: `http://127.0.0.1:${port}`, retries: 1 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HfError);
    expect((err as HfError).kind).toBe('network');
    expect((err as Error).message).toMatch(/Hugging Face Hub unreachable.*ECONNREFUSED/);
  });

  it('takes endpoints, token and cache folder from the environment', async () => {
    const env = { AGORA_HF_HUB_ENDPOINT: server.url + '/', AGORA_HF_ENDPOINT: 'http://127.0.0.1:9', HF_TOKEN: 'hf_secret', AGORA_CACHE_DIR: cacheDir };
    const res = await fetchHfRows({ dataset: 'org/numbers', config: 'main', split: 'test' }, { env });
    expect(server.authHeaders[0]).toBe('Bearer hf_secret');
    expect(res.cachePath.startsWith(path.join(cacheDir, 'hf', 'org__numbers', 'main'))).toBe(true);
    expect((await fetchHfRows({ dataset: 'org/numbers', config: 'main', split: 'test' }, { ...base(), env: {} })).fromCache).toBe(false);
    expect(server.authHeaders.at(-1)).toBeUndefined();
  });
});

describe('loadSeedItems from Hugging Face', () => {
  it('maps, filters, limits and normalises downloaded rows', async () => {
    const items = await loadSeedItems(
      { hf: 'org/numbers', config: 'main', split: 'train', instruction: 'question', response: 'answer', limit: 5, filter: [{ field: 'id', min: 10 }] },
      { hf: base(), normalize: 'math' },
    );
    expect(items).toEqual([10, 11, 12, 13, 14].map((i) => ({ instruction: `q${i}`, response: `a${i}\n[RESULT] ${i} [/RESULT]` })));
  });

  it('names the row when a mapped field is missing', async () => {
    await expect(loadSeedItems({ hf: 'org/numbers', config: 'main', split: 'test', instruction: 'prompt' }, { hf: base() })).rejects.toThrow(
      /hf:org\/numbers\/main\/test .*row 1: field "prompt" missing/,
    );
  });
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
