import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAlive } from '../src/adapters/runners/process-group.js';
import { connectEndpoint, serveStudent, stopServerGroup, type ServerHandle } from '../src/adapters/serve/student-server.js';
import { endpointBaseUrl } from '../src/adapters/serve/readiness.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function setup() {
  const t = tempDir('agora-serve-');
  cleanups.push(t.cleanup);
  const started: ServerHandle[] = [];
  // Whatever a test starts is stopped even when it fails half-way.
  cleanups.push(async () => {
    for (const s of started) await stopServerGroup(s.pgid, 1000);
  });
  return { logFile: path.join(t.dir, 'logs', 'server.log'), started };
}

describe('student server from a command template', () => {
  it('starts the command on a free port in its own process group, waits for /v1/models, and stops the whole group', async () => {
    const { logFile, started } = setup();
    const endpoint = await serveStudent({
      command: 'node --import tsx test/support/fake-llm-server-main.ts --port {port}',
      checkpoint: '/unused/checkpoint',
      logFile,
      readinessTimeoutMs: 60_000,
      cwd: REPO_ROOT,
      onStart: (s) => started.push(s),
    });
    expect(started).toHaveLength(1);
    const server = endpoint.server!;
    expect(server.pgid).toBe(started[0]!.pgid);
    expect(endpoint.baseURL).toBe(`http://127.0.0.1:${server.port}/v1`);
    expect(endpoint.models).toEqual(['fake-model']);
    const res = await fetch(`${endpoint.baseURL}/models`);
    expect(res.status).toBe(200);
    expect(fs.readFileSync(logFile, 'utf8')).toContain(`--port ${server.port}`);
    expect(await groupAlive(server.pgid)).toBe(true);
    await endpoint.stop();
    expect(await groupAlive(server.pgid)).toBe(false);
    await expect(fetch(`${endpoint.baseURL}/models`)).rejects.toThrow();
  });

  it('fails fast with the log tail when the server exits before it is ready', async () => {
    const { logFile, started } = setup();
    const err = await serveStudent({
      command: 'echo "cannot load {checkpoint} on port {port}" >&2; exit 3',
      checkpoint: '/no/such/model',
      logFile,
      readinessTimeoutMs: 60_000,
      pollMs: 50,
      onStart: (s) => started.push(s),
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/exited with code 3/);
    expect((err as Error).message).toContain('cannot load /no/such/model on port');
  });

  it('gives up after the readiness timeout, stops the group, and shows the log tail', async () => {
    const { logFile, started } = setup();
    const err = await serveStudent({
      command: 'echo "loading weights for port {port}"; sleep 60',
      checkpoint: 'x',
      logFile,
      readinessTimeoutMs: 600,
      pollMs: 50,
      killGraceMs: 1000,
      onStart: (s) => started.push(s),
    }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/did not answer within/);
    expect((err as Error).message).toContain('loading weights for port');
    expect(await groupAlive(started[0]!.pgid)).toBe(false);
  });

  it('stops a server that is being waited for when the signal aborts', async () => {
    const { logFile, started } = setup();
    const abort = new AbortController();
    const p = serveStudent({
      command: 'sleep 60 # {port}',
      checkpoint: 'x',
      logFile,
      readinessTimeoutMs: 60_000,
      pollMs: 50,
      killGraceMs: 1000,
      signal: abort.signal,
      onStart: (s) => started.push(s),
    });
    const until = Date.now() + 10_000;
    while (started.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await expect(p).rejects.toThrow(/aborted/);
    expect(await groupAlive(started[0]!.pgid)).toBe(false);
  });

  it('uses a given endpoint as is, adding /v1 when it is missing', async () => {
    const server = await startFakeLlmServer({ models: ['student-7'] });
    cleanups.push(() => server.close());
    expect(endpointBaseUrl(server.url)).toBe(server.openaiBaseURL);
    expect(endpointBaseUrl(`${server.openaiBaseURL}/`)).toBe(server.openaiBaseURL);
    const endpoint = await connectEndpoint(server.url, { readinessTimeoutMs: 5000 });
    expect(endpoint.models).toEqual(['student-7']);
    expect(endpoint.server).toBeUndefined();
    await endpoint.stop();
    expect((await fetch(`${server.openaiBaseURL}/models`)).status).toBe(200);
  });
});
