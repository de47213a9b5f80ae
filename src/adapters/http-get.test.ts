import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { getWithRetries, NetworkError } from './http-get.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A server answering each request with the next of `replies` (the last one repeats). */
async function serve(replies: ReadonlyArray<{ status: number; headers?: Record<string, string>; body?: string }>) {
  const seen: number[] = [];
  const server = http.createServer((_req, res) => {
    const r = replies[Math.min(seen.length, replies.length - 1)]!;
    seen.push(performance.now());
    res.writeHead(r.status, r.headers).end(r.body ?? '');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, seen };
}

describe('getWithRetries', () => {
  it('retries 429 and 5xx, then answers the good response', async () => {
    const s = await serve([{ status: 429 }, { status: 503 }, { status: 200, body: 'ok' }]);
    const res = await getWithRetries(s.url, { retries: 3, retryBaseMs: 1 });
    expect(await res.text()).toBe('ok');
    expect(s.seen).toHaveLength(3);
  });

  it("waits as long as the server's Retry-After says, not the shorter backoff", async () => {
    const s = await serve([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 200, body: 'ok' },
    ]);
    await getWithRetries(s.url, { retries: 1, retryBaseMs: 1 });
    expect(s.seen[1]! - s.seen[0]!).toBeGreaterThanOrEqual(990);
  });

  it('answers a 404 at once, without retrying, and the last 5xx once retries are spent', async () => {
    const missing = await serve([{ status: 404 }]);
    expect((await getWithRetries(missing.url, { retries: 3, retryBaseMs: 1 })).status).toBe(404);
    expect(missing.seen).toHaveLength(1);
    const down = await serve([{ status: 500 }]);
    expect((await getWithRetries(down.url, { retries: 2, retryBaseMs: 1 })).status).toBe(500);
    expect(down.seen).toHaveLength(3);
  });

  it('throws NetworkError naming the cause when nothing answers', async () => {
    const s = await serve([{ status: 200 }]);
    await new Promise((r) => servers.pop()!.close(r));
    const err = await getWithRetries(s.url, { retries: 1, retryBaseMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toBe('ECONNREFUSED');
  });

  it("ends a Retry-After wait as soon as the caller's signal aborts", async () => {
    const s = await serve([{ status: 503, headers: { 'retry-after': '60' } }]);
    const ctl = new AbortController();
    const pending = getWithRetries(s.url, { retries: 1, retryBaseMs: 1, signal: ctl.signal });
    while (s.seen.length === 0) await new Promise((r) => setImmediate(r));
    ctl.abort(new Error('user quit'));
    await expect(pending).rejects.toThrow('user quit');
    expect(s.seen).toHaveLength(1);
  });
});
