import type { IncomingMessage, ServerResponse } from 'node:http';
import { anthropicWire } from './fake-llm-server-anthropic.js';
import { openAiWire } from './fake-llm-server-openai.js';
import { shapeReply } from './fake-llm-server-reply.js';
import type { FakeBatchControl, FakeBatchFault, FakeBatchStats, FakeLlmRequest, FakeProvider, FakeResponder } from './fake-llm-server-types.js';

// The stand-in of both batch APIs: requests are answered by the server's responder when the
// batch ends, a few polls after it is created, and every answer's usage is recorded as billed.

interface Row {
  readonly customId: string;
  readonly request: FakeLlmRequest | string;
}

interface Batch {
  readonly id: string;
  readonly provider: FakeProvider;
  readonly rows: readonly Row[];
  readonly createdAt: number;
  readonly faults: readonly FakeBatchFault[];
  polls: number;
  /** Set when the batch ends: one result line per answered or failed request. */
  results?: { readonly ok: string[]; readonly errors: string[]; readonly counts: { succeeded: number; errored: number; expired: number } };
  endedAt?: number;
}

type Send = (res: ServerResponse, status: number, contentType: string, body: string) => void;

export interface FakeBatchApis {
  readonly control: FakeBatchControl;
  /** Serves the request when it is one of the batch routes; false otherwise. */
  serve(req: IncomingMessage, res: ServerResponse, path: string, raw: () => Promise<Buffer>): Promise<boolean>;
}

const json = (v: unknown) => JSON.stringify(v);

export function fakeBatchApis(deps: {
  responder: () => FakeResponder;
  baseUrl: () => string;
  refusal: (req: IncomingMessage, provider: FakeProvider) => string | undefined;
  send: Send;
}): FakeBatchApis {
  const stats: FakeBatchStats = { created: { openai: 0, anthropic: 0 }, requests: 0, polls: 0, billed: [] };
  const files = new Map<string, string>();
  const batches = new Map<string, Batch>();
  let queued: FakeBatchFault[] = [];
  const rowErrors: Array<{ status: number; provider?: FakeProvider }> = [];
  let held = false;
  let pollsToFinish = 3;
  let n = 0;

  const takeFaults = (provider: FakeProvider) => {
    const mine = queued.filter((f) => f.provider === undefined || f.provider === provider);
    queued = queued.filter((f) => !mine.includes(f));
    for (const f of mine)
      if (f.kind === 'row-error') for (let i = 0; i < f.count; i++) rowErrors.push({ status: f.status ?? 500, ...(f.provider && { provider: f.provider }) });
    return mine;
  };
  const takeRowError = (provider: FakeProvider) => {
    const i = rowErrors.findIndex((e) => e.provider === undefined || e.provider === provider);
    return i < 0 ? undefined : rowErrors.splice(i, 1)[0];
  };

  async function finish(b: Batch): Promise<void> {
    const expire = b.faults.some((f) => f.kind === 'expire');
    const failWhole = b.provider === 'openai' && b.faults.some((f) => f.kind === 'fail');
    const answered = failWhole ? 0 : expire ? Math.ceil(b.rows.length / 2) : b.rows.length;
    const ok: string[] = [];
    const errors: string[] = [];
    const counts = { succeeded: 0, errored: 0, expired: 0 };
    for (const [i, row] of b.rows.entries()) {
      const wire = b.provider === 'openai' ? openAiWire : anthropicWire;
      const error = (status: number, message: string) => {
        counts.errored++;
        const inner = JSON.parse(wire.error(status, message)) as Record<string, unknown>;
        if (b.provider === 'openai')
          errors.push(
            json({ id: `batch_req_${i}`, custom_id: row.customId, response: { status_code: status, request_id: `req_${i}`, body: inner }, error: null }),
          );
        else errors.push(json({ custom_id: row.customId, result: { type: 'errored', error: inner } }));
      };
      if (i >= answered) {
        counts.expired++;
        if (failWhole) continue;
        if (b.provider === 'openai')
          errors.push(
            json({
              id: `batch_req_${i}`,
              custom_id: row.customId,
              response: null,
              error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' },
            }),
          );
        else errors.push(json({ custom_id: row.customId, result: { type: 'expired' } }));
        continue;
      }
      if (typeof row.request === 'string') {
        error(400, row.request);
        continue;
      }
      const injected = takeRowError(b.provider);
      if (injected) {
        error(injected.status, `injected batch row fault: HTTP ${injected.status}`);
        continue;
      }
      const full = await deps.responder()(row.request);
      const reply = JSON.parse(wire.reply(row.request, shapeReply(full, row.request.stop, row.request.maxTokens), `b${i}`, 16).body) as Record<string, unknown>;
      const usage = reply.usage as Record<string, number>;
      const inputTokens = b.provider === 'openai' ? usage.prompt_tokens! : usage.input_tokens!;
      const outputTokens = b.provider === 'openai' ? usage.completion_tokens! : usage.output_tokens!;
      stats.billed.push({ provider: b.provider, batchId: b.id, customId: row.customId, inputTokens, outputTokens });
      counts.succeeded++;
      if (b.provider === 'openai')
        ok.push(json({ id: `batch_req_${i}`, custom_id: row.customId, response: { status_code: 200, request_id: `req_${i}`, body: reply }, error: null }));
      else ok.push(json({ custom_id: row.customId, result: { type: 'succeeded', message: reply } }));
    }
    b.results = { ok, errors, counts };
    b.endedAt = Date.now();
    if (b.provider === 'openai') {
      if (ok.length > 0) files.set(`file-out-${b.id}`, ok.join('\n') + '\n');
      if (errors.length > 0) files.set(`file-err-${b.id}`, errors.join('\n') + '\n');
    }
  }

  /** One poll: the batch moves on, and ends at `pollsToFinish` unless held. */
  async function advance(b: Batch): Promise<void> {
    stats.polls++;
    b.polls++;
    if (!b.results && !held && b.polls >= pollsToFinish) await finish(b);
  }

  const doneCount = (b: Batch) => (b.results ? b.rows.length : Math.floor((b.rows.length * Math.min(b.polls, pollsToFinish - 1)) / pollsToFinish));
  const secs = (ms: number | undefined) => (ms === undefined ? null : Math.floor(ms / 1000));

  function openAiBatch(b: Batch) {
    const r = b.results;
    const expired = b.faults.some((f) => f.kind === 'expire');
    const failed = b.faults.some((f) => f.kind === 'fail');
    const status = !r ? (b.polls === 0 ? 'validating' : 'in_progress') : failed ? 'failed' : expired ? 'expired' : 'completed';
    return {
      id: b.id,
      object: 'batch',
      endpoint: '/v1/chat/completions',
      input_file_id: `file-in-${b.id}`,
      completion_window: '24h',
      status,
      errors: failed ? { object: 'list', data: [{ code: 'invalid_batch', message: 'injected batch failure', param: null, line: null }] } : null,
      output_file_id: files.has(`file-out-${b.id}`) ? `file-out-${b.id}` : null,
      error_file_id: files.has(`file-err-${b.id}`) ? `file-err-${b.id}` : null,
      created_at: secs(b.createdAt),
      in_progress_at: secs(b.createdAt),
      expires_at: secs(b.createdAt + 86_400_000),
      completed_at: r && !failed && !expired ? secs(b.endedAt) : null,
      failed_at: failed ? secs(b.endedAt) : null,
      expired_at: expired && r ? secs(b.endedAt) : null,
      finalizing_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: b.rows.length, completed: r ? r.counts.succeeded : doneCount(b), failed: r ? r.counts.errored + r.counts.expired : 0 },
      metadata: null,
    };
  }

  function anthropicBatch(b: Batch) {
    const r = b.results;
    const done = doneCount(b);
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: r ? 'ended' : 'in_progress',
      request_counts: r
        ? { processing: 0, succeeded: r.counts.succeeded, errored: r.counts.errored, canceled: 0, expired: r.counts.expired }
        : { processing: b.rows.length - done, succeeded: done, errored: 0, canceled: 0, expired: 0 },
      created_at: new Date(b.createdAt).toISOString(),
      ended_at: b.endedAt ? new Date(b.endedAt).toISOString() : null,
      expires_at: new Date(b.createdAt + 86_400_000).toISOString(),
      archived_at: null,
      cancel_initiated_at: null,
      results_url: r ? `${deps.baseUrl()}/v1/messages/batches/${b.id}/results` : null,
    };
  }

  function create(provider: FakeProvider, rows: Row[]): Batch {
    const b: Batch = {
      id: provider === 'openai' ? `batch_${++n}` : `msgbatch_${++n}`,
      provider,
      rows,
      createdAt: Date.now(),
      faults: takeFaults(provider),
      polls: 0,
    };
    batches.set(b.id, b);
    stats.created[provider]++;
    stats.requests += rows.length;
    return b;
  }

  // Never answered; the server's close() ends the connection.
  const hangs = (b: Batch) => b.faults.some((f) => f.kind === 'hang-create');

  async function route(req: IncomingMessage, res: ServerResponse, path: string, raw: () => Promise<Buffer>): Promise<boolean> {
    const m = req.method ?? 'GET';
    const notFound = (what: string) =>
      deps.send(res, 404, 'application/json', (path.startsWith('/v1/messages') ? anthropicWire : openAiWire).error(404, `no such ${what}`));
    if (m === 'POST' && path === '/v1/files') {
      const form = await new Request('http://fake/', {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: await raw(),
      }).formData();
      const file = form.get('file');
      if (form.get('purpose') !== 'batch' || typeof file === 'string' || file === null) {
        deps.send(res, 400, 'application/json', openAiWire.error(400, "a 'file' with purpose 'batch' is required"));
        return true;
      }
      const id = `file-in-batch_${n + 1}-${files.size}`;
      files.set(id, await file.text());
      deps.send(
        res,
        200,
        'application/json',
        json({ id, object: 'file', bytes: file.size, created_at: secs(Date.now()), filename: file.name, purpose: 'batch', status: 'processed' }),
      );
      return true;
    }
    if (m === 'POST' && path === '/v1/batches') {
      const body = JSON.parse((await raw()).toString('utf8')) as { input_file_id?: string; endpoint?: string };
      const content = body.input_file_id ? files.get(body.input_file_id) : undefined;
      if (content === undefined || body.endpoint !== '/v1/chat/completions') {
        deps.send(res, 400, 'application/json', openAiWire.error(400, 'unknown input_file_id or unsupported endpoint'));
        return true;
      }
      const rows = content
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => {
          const line = JSON.parse(l) as { custom_id: string; body: Record<string, unknown> };
          return { customId: line.custom_id, request: openAiWire.parse(line.body, req.headers) };
        });
      const b = create('openai', rows);
      if (!hangs(b)) deps.send(res, 200, 'application/json', json(openAiBatch(b)));
      return true;
    }
    if (m === 'POST' && path === '/v1/messages/batches') {
      const body = JSON.parse((await raw()).toString('utf8')) as { requests?: Array<{ custom_id: string; params: Record<string, unknown> }> };
      const rows = (body.requests ?? []).map((r) => ({ customId: r.custom_id, request: anthropicWire.parse(r.params, req.headers) }));
      const b = create('anthropic', rows);
      if (!hangs(b)) deps.send(res, 200, 'application/json', json(anthropicBatch(b)));
      return true;
    }
    const get = m === 'GET' ? /^\/v1\/(batches|messages\/batches|files)\/([^/]+)(\/content|\/results)?$/.exec(path) : null;
    if (!get) return false;
    const [, kind, id, tail] = get;
    if (kind === 'files') {
      const content = tail === '/content' ? files.get(id!) : undefined;
      if (content === undefined) notFound('file');
      else deps.send(res, 200, 'application/octet-stream', content);
      return true;
    }
    const b = batches.get(id!);
    if (!b) return (notFound('batch'), true);
    if (tail === '/results') {
      if (!b.results) deps.send(res, 400, 'application/json', anthropicWire.error(400, 'the batch has not ended'));
      else deps.send(res, 200, 'application/binary', [...b.results.ok, ...b.results.errors].join('\n') + '\n');
      return true;
    }
    await advance(b);
    deps.send(res, 200, 'application/json', json(b.provider === 'openai' ? openAiBatch(b) : anthropicBatch(b)));
    return true;
  }

  return {
    control: {
      stats,
      inject: (f) => {
        queued.push(...(Array.isArray(f) ? f : [f as FakeBatchFault]));
      },
      hold: (on) => {
        held = on;
      },
      setPollsToFinish: (k) => {
        pollsToFinish = Math.max(1, k);
      },
    },
    async serve(req, res, path, raw) {
      const batchRoute = /^\/v1\/(files|batches|messages\/batches)(\/|$)/.test(path);
      if (!batchRoute) return false;
      const refused = deps.refusal(req, path.startsWith('/v1/messages') ? 'anthropic' : 'openai');
      if (refused !== undefined) {
        deps.send(res, 401, 'application/json', (path.startsWith('/v1/messages') ? anthropicWire : openAiWire).error(401, refused));
        return true;
      }
      return route(req, res, path, raw);
    },
  };
}
