import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerNotReadyError, waitForModels } from './readiness.js';

// A local HTTP server standing in for a student server's GET /v1/models.
const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serving(body: string): Promise<string> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

describe('waiting for a student server', () => {
  it('returns the model ids of a model list', async () => {
    const url = await serving(JSON.stringify({ object: 'list', data: [{ id: 'student', object: 'model' }] }));
    await expect(waitForModels(url, { timeoutMs: 2_000, pollMs: 10 })).resolves.toEqual(['student']);
  });

  it('names the field of a model list of another shape, rather than saying it lists no models', async () => {
    const url = await serving(JSON.stringify({ data: [{ id: 7 }] }));
    const e = await waitForModels(url, { timeoutMs: 200, pollMs: 10 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ServerNotReadyError);
    expect((e as Error).message).toMatch(/last: the answer is not a model list: data\.0\.id: /);
  });

  it('says an answer is not JSON, with its start', async () => {
    const url = await serving('<html>loading</html>');
    const e = await waitForModels(url, { timeoutMs: 200, pollMs: 10 }).catch((err: unknown) => err);
    expect((e as Error).message).toMatch(/last: the answer is not JSON \(.*\): <html>loading/);
  });
});
