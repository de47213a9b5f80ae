import Anthropic from '@anthropic-ai/sdk';
import type { GeneratorConfig } from '../../config/schema.js';
import { ProviderError, type ProviderErrorKind } from '../../core/ports.js';
import { messageParams } from './anthropic-provider.js';
import { readAnthropicMessage } from './anthropic-response.js';
import { BatchSubmitError, createMaybeSent, type BatchClient, type BatchClientOptions, type BatchRowResult } from './batch-port.js';
import { classifyError, type SdkErrors } from './classify-error.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** An errored row carries the error type a live call would have had as its HTTP status. */
function kindForType(type: unknown): ProviderErrorKind {
  switch (type) {
    case 'invalid_request_error':
    case 'not_found_error':
      return 'bad-request';
    case 'authentication_error':
    case 'permission_error':
    case 'billing_error':
      return 'auth';
    case 'rate_limit_error':
      return 'rate-limit';
    case 'timeout_error':
      return 'timeout';
    default:
      return 'server';
  }
}

function readRow(row: unknown, model: string, latencyMs: number): BatchRowResult | undefined {
  if (!isRecord(row) || typeof row.custom_id !== 'string' || !isRecord(row.result)) return undefined;
  const customId = row.custom_id;
  const r = row.result;
  const fail = (kind: ProviderErrorKind, message: string): BatchRowResult => ({
    customId,
    ok: false,
    error: new ProviderError(kind, `batch request: ${message}`),
  });
  switch (r.type) {
    case 'succeeded':
      try {
        return { customId, ok: true, result: { ...readAnthropicMessage(r.message, model), latencyMs, attempts: 1 } };
      } catch (e) {
        return { customId, ok: false, error: e instanceof ProviderError ? e : new ProviderError('malformed', String(e)) };
      }
    case 'errored': {
      const inner = isRecord(r.error) && isRecord(r.error.error) ? r.error.error : {};
      return fail(kindForType(inner.type), typeof inner.message === 'string' ? inner.message : 'errored');
    }
    // Not answered within the batch's 24 hours (or cancelled): not billed, and asking again may succeed.
    case 'expired':
      return fail('timeout', 'expired before it was processed');
    default:
      return fail('server', `not processed (${String(r.type)})`);
  }
}

/** Anthropic's Message Batches through `@anthropic-ai/sdk`. */
export function createAnthropicBatch(gen: GeneratorConfig, opts: BatchClientOptions, sdk: SdkErrors): BatchClient {
  const client = new Anthropic({
    apiKey: opts.apiKey,
    ...(gen.baseURL !== undefined && { baseURL: gen.baseURL }),
    maxRetries: 2,
    timeout: opts.timeoutMs,
    logLevel: 'off',
  });
  return {
    async submit(items, signal) {
      try {
        // No SDK retries: a retried create that had reached the server would be a second batch.
        const batch = await client.messages.batches.create(
          { requests: items.map((i) => ({ custom_id: i.customId, params: messageParams(gen, i.request) })) },
          { signal, maxRetries: 0 },
        );
        return batch.id;
      } catch (e) {
        const error = classifyError(e, (t) => t, sdk);
        throw new BatchSubmitError(error, createMaybeSent(error));
      }
    },
    async status(id, signal) {
      const b = await client.messages.batches.retrieve(id, {}, { signal });
      const c = b.request_counts;
      const failed = c.errored + c.canceled + c.expired;
      const done = c.succeeded + failed;
      const problem = c.expired > 0 ? `${c.expired} requests expired` : c.canceled > 0 ? `${c.canceled} requests were cancelled` : undefined;
      return {
        phase: b.processing_status === 'ended' ? 'ended' : 'in-progress',
        providerStatus: b.processing_status,
        total: done + c.processing,
        done,
        failed,
        ...(problem !== undefined && { problem }),
      };
    },
    async results(id, signal) {
      const b = await client.messages.batches.retrieve(id, {}, { signal });
      const end = b.ended_at ? Date.parse(b.ended_at) : Date.now();
      const latencyMs = Math.max(0, end - Date.parse(b.created_at)) || 0;
      const rows: BatchRowResult[] = [];
      for await (const row of await client.messages.batches.results(id, {}, { signal })) {
        const r = readRow(row, gen.model, latencyMs);
        if (r) rows.push(r);
      }
      return rows;
    },
  };
}
