import OpenAI, { toFile } from 'openai';
import type { GeneratorConfig } from '../../config/schema.js';
import { ProviderError } from '../../core/ports.js';
import { BatchSubmitError, createMaybeSent, type BatchClient, type BatchClientOptions, type BatchRowResult } from './batch-port.js';
import { classifyError, kindForStatus, type SdkErrors } from './classify-error.js';
import { fetchKeepingErrorBody } from './error-body-fetch.js';
import { chatParams } from './openai-provider.js';
import { readOpenAiCompletion } from './openai-response.js';

const ENDPOINT = '/v1/chat/completions';
/** Statuses after which the batch answers nothing more. */
const ENDED = new Set(['completed', 'failed', 'expired', 'cancelled']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function jsonLines(text: string): unknown[] {
  return text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      return [];
    }
  });
}

/** One line of the output or error file: an answer, or the reason there is none. */
function readRow(row: unknown, model: string, latencyMs: number): BatchRowResult | undefined {
  if (!isRecord(row) || typeof row.custom_id !== 'string') return undefined;
  const customId = row.custom_id;
  const response = isRecord(row.response) ? row.response : undefined;
  const fail = (error: ProviderError): BatchRowResult => ({ customId, ok: false, error });
  if (response && response.status_code === 200) {
    try {
      return { customId, ok: true, result: { ...readOpenAiCompletion(response.body, model), latencyMs, attempts: 1 } };
    } catch (e) {
      return fail(e instanceof ProviderError ? e : new ProviderError('malformed', String(e)));
    }
  }
  if (response && typeof response.status_code === 'number') {
    const err = isRecord(response.body) && isRecord(response.body.error) ? response.body.error : {};
    const message = typeof err.message === 'string' ? err.message : `HTTP ${response.status_code}`;
    const code = typeof err.code === 'string' ? err.code : null;
    return fail(new ProviderError(kindForStatus(response.status_code, code), `batch request: ${message}`, response.status_code));
  }
  const err = isRecord(row.error) ? row.error : {};
  const message = typeof err.message === 'string' ? err.message : 'no answer';
  // batch_expired: not answered within the completion window; sending it again may succeed.
  return fail(new ProviderError(err.code === 'batch_expired' ? 'timeout' : 'server', `batch request: ${message}`));
}

/** OpenAI's Batch API (and OpenAI-compatible servers that offer it, such as Together's) through the `openai` SDK. */
export function createOpenAiBatch(gen: GeneratorConfig, opts: BatchClientOptions, sdk: SdkErrors): BatchClient {
  const client = new OpenAI({
    apiKey: opts.apiKey,
    ...(gen.baseURL !== undefined && { baseURL: gen.baseURL }),
    maxRetries: 2,
    timeout: opts.timeoutMs,
    logLevel: 'off',
    fetch: fetchKeepingErrorBody,
  });
  const readFile = async (id: string | null | undefined, signal: AbortSignal) =>
    id ? jsonLines(await (await client.files.content(id, { signal })).text()) : [];
  return {
    async submit(items, signal) {
      const lines = items.map((i) => JSON.stringify({ custom_id: i.customId, method: 'POST', url: ENDPOINT, body: chatParams(gen, i.request) }));
      const file = await client.files.create(
        { file: await toFile(Buffer.from(lines.join('\n') + '\n'), 'agora-batch.jsonl', { type: 'application/jsonl' }), purpose: 'batch' },
        { signal },
      );
      try {
        // No SDK retries here: a retried create that had reached the server would be a second batch.
        const batch = await client.batches.create({ input_file_id: file.id, endpoint: ENDPOINT, completion_window: '24h' }, { signal, maxRetries: 0 });
        return batch.id;
      } catch (e) {
        const error = classifyError(e, (t) => t, sdk);
        throw new BatchSubmitError(error, createMaybeSent(error));
      }
    },
    async status(id, signal) {
      const b = await client.batches.retrieve(id, { signal });
      const counts = b.request_counts ?? { total: 0, completed: 0, failed: 0 };
      const ended = ENDED.has(b.status);
      const why = b.errors?.data
        ?.map((d) => d.message)
        .filter(Boolean)
        .join('; ');
      const problem =
        b.status === 'failed'
          ? `the batch failed${why ? `: ${why}` : ''}`
          : b.status === 'expired' || b.status === 'cancelled'
            ? `the batch was ${b.status}`
            : undefined;
      return {
        phase: ended ? 'ended' : 'in-progress',
        providerStatus: b.status,
        total: counts.total,
        done: counts.completed + counts.failed,
        failed: counts.failed,
        ...(problem !== undefined && { problem }),
      };
    },
    async results(id, signal) {
      const b = await client.batches.retrieve(id, { signal });
      const end = b.completed_at ?? b.expired_at ?? b.failed_at ?? b.cancelled_at ?? Math.floor(Date.now() / 1000);
      const latencyMs = Math.max(0, (end - b.created_at) * 1000);
      const rows = [...(await readFile(b.output_file_id, signal)), ...(await readFile(b.error_file_id, signal))];
      return rows.flatMap((r) => readRow(r, gen.model, latencyMs) ?? []);
    },
  };
}
