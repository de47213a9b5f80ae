import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicWire } from './fake-llm-server-anthropic.js';
import { fakeBatchApis } from './fake-llm-server-batch.js';
import { FaultQueue } from './fake-llm-server-faults.js';
import { isMetricRoute, serveMetricRoute } from './fake-llm-server-metrics.js';
import { openAiWire } from './fake-llm-server-openai.js';
import { defaultResponder, shapeReply } from './fake-llm-server-reply.js';
import type { FakeFault, FakeLlmServer, FakeLlmServerOptions, FakeLlmStats, FakeResponder } from './fake-llm-server-types.js';
import type { WireFormat } from './fake-llm-server-wire.js';

export type * from './fake-llm-server-types.js';
export { countFakeTokens, defaultResponder, promptTokens } from './fake-llm-server-reply.js';

const completionRoutes: Record<string, WireFormat> = {
  '/v1/chat/completions': openAiWire,
  '/v1/messages': anthropicWire,
};

function emptyStats(): FakeLlmStats {
  return { total: 0, connections: 0, byPath: {}, inFlight: 0, maxInFlight: 0, faultsServed: 0, faultsByKind: {}, arrivals: [] };
}

function now(): number {
  return performance.timeOrigin + performance.now();
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The key a request presents, in the header its provider uses. */
function presentedKey(req: IncomingMessage, wire: WireFormat): string {
  if (wire.provider === 'anthropic' && typeof req.headers['x-api-key'] === 'string') return req.headers['x-api-key'];
  return (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
}

function faultHeaders(f: Extract<FakeFault, { kind: 'status' }>): Record<string, string> {
  const h: Record<string, string> = {};
  if (f.retryAfterSeconds !== undefined) h['retry-after'] = String(f.retryAfterSeconds);
  if (f.retryAfterMs !== undefined) h['retry-after-ms'] = String(f.retryAfterMs);
  return h;
}

/** Starts the fake on 127.0.0.1; see FakeLlmServer for what it offers. */
export async function startFakeLlmServer(opts: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  let latencyMs = opts.latencyMs ?? 0;
  let responder: FakeResponder = opts.responder ?? defaultResponder;
  const chunkChars = Math.max(1, opts.streamChunkChars ?? 16);
  const models = opts.models ?? ['fake-model'];
  const faults = new FaultQueue(opts.seed ?? 1);
  const closing = new AbortController();
  const stats = emptyStats();
  let nextId = 0;

  const pause = (ms: number) => (ms > 0 ? sleep(ms, undefined, { signal: closing.signal }) : Promise.resolve());

  // The batch APIs' stand-in answers its own routes (files, batches, message batches).
  const batchApis = fakeBatchApis({
    responder: () => responder,
    baseUrl: () => url,
    // Echoes a wrong key, as the live routes do, to test that clients scrub it.
    refusal: (req, provider) => {
      const presented = presentedKey(req, provider === 'anthropic' ? anthropicWire : openAiWire);
      return opts.apiKey === undefined || presented === opts.apiKey ? undefined : `Incorrect API key provided: ${presented}`;
    },
    send,
  });

  async function serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (await batchApis.serve(req, res, path, async () => Buffer.from(await readBody(req), 'utf8'))) return;
    const wire = completionRoutes[path] ?? openAiWire;
    const body = parseJsonObject(await readBody(req));
    const fault = faults.next(path);
    if (fault) {
      stats.faultsServed++;
      stats.faultsByKind[fault.kind] = (stats.faultsByKind[fault.kind] ?? 0) + 1;
      switch (fault.kind) {
        case 'status':
          send(res, fault.status, 'application/json', wire.error(fault.status, fault.message ?? `injected fault: HTTP ${fault.status}`), faultHeaders(fault));
          return;
        case 'malformed': {
          const r = wire.malformed(body?.stream === true);
          send(res, 200, r.contentType, r.body);
          return;
        }
        case 'raw':
          send(res, fault.status ?? 200, fault.contentType ?? 'application/json', fault.body);
          return;
        case 'hang':
          return; // never answered; close() destroys the socket
        case 'delay':
          await pause(fault.ms);
          break;
      }
    }
    if (opts.apiKey !== undefined && presentedKey(req, wire) !== opts.apiKey) {
      // Echoes the presented key on purpose, as the worst case for clients that must not leak it.
      send(res, 401, 'application/json', wire.error(401, `Incorrect API key provided: ${presentedKey(req, wire)}`));
      return;
    }
    // Prompt logprobs, embeddings and pooling (fake-llm-server-metrics.ts), after faults and the key check as the chat routes,
    // and as slow as they are.
    if (isMetricRoute(req.method, path)) await pause(latencyMs);
    if (serveMetricRoute(req.method, path, body, (status, text) => send(res, status, 'application/json', text))) return;
    if (req.method === 'GET' && path === '/v1/models') {
      const anthropic = req.headers['anthropic-version'] !== undefined;
      const data = anthropic
        ? {
            data: models.map((id) => ({ type: 'model', id, display_name: id, created_at: '2024-01-01T00:00:00Z' })),
            has_more: false,
            first_id: models[0] ?? null,
            last_id: models.at(-1) ?? null,
          }
        : { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) };
      send(res, 200, 'application/json', JSON.stringify(data));
      return;
    }
    const route = completionRoutes[path];
    if (route === undefined || req.method !== 'POST') {
      send(res, 404, 'application/json', wire.error(404, `no route ${req.method ?? '?'} ${path}`));
      return;
    }
    if (body === undefined) {
      send(res, 400, 'application/json', route.error(400, 'the request body is not a JSON object'));
      return;
    }
    const parsed = route.parse(body, req.headers);
    if (typeof parsed === 'string') {
      send(res, 400, 'application/json', route.error(400, parsed));
      return;
    }
    let full: string;
    try {
      full = await responder(parsed);
    } catch (e) {
      send(res, 500, 'application/json', route.error(500, `responder failed: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    await pause(latencyMs);
    const reply = route.reply(parsed, shapeReply(full, parsed.stop, parsed.maxTokens), String(++nextId), chunkChars);
    send(res, 200, reply.contentType, reply.body);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    stats.total++;
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    stats.arrivals.push({ path, at: now() });
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.once('close', () => {
      stats.inFlight--;
    });
    serve(req, res, path).catch((e: unknown) => {
      if (closing.signal.aborted) return;
      if (res.headersSent) res.destroy();
      else send(res, 500, 'application/json', JSON.stringify({ error: { message: String(e), type: 'server_error' } }));
    });
  }

  const server = createServer({ keepAlive: true, noDelay: true }, handle);
  // Longer than clients' idle timeouts, so a reused socket is never closed under a request.
  server.keepAliveTimeout = 30_000;
  server.on('connection', () => {
    stats.connections++;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;

  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    stats,
    batches: batchApis.control,
    inject: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setResponder: (fn) => {
      responder = fn;
    },
    resetStats: () => {
      const inFlight = stats.inFlight;
      Object.assign(stats, emptyStats(), { inFlight, maxInFlight: inFlight });
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
