import type { IncomingHttpHeaders } from 'node:http';
import { chunkText, contentText, optionalNumber, promptTokens, stopList, type ShapedReply } from './fake-llm-server-reply.js';
import type { FakeLlmRequest, FakeMessage } from './fake-llm-server-types.js';
import type { WireFormat, WireReply } from './fake-llm-server-wire.js';

// The API version @anthropic-ai/sdk 1.x sends; it refuses sampling parameters.
const noSamplingSince = '2026-10-21';

function parse(body: Record<string, unknown>, headers: IncomingHttpHeaders): FakeLlmRequest | string {
  const version = headers['anthropic-version'];
  if (typeof version === 'string' && version >= noSamplingSince) {
    for (const p of ['temperature', 'top_p', 'top_k']) if (p in body) return `${p}: Extra inputs are not permitted`;
  }
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
    return 'max_tokens: Field required (a positive integer)';
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  const messages: FakeMessage[] = [];
  if (body.system !== undefined) {
    const system = contentText(body.system);
    if (system === undefined) return 'system: Input should be a valid string or list of text blocks';
    messages.push({ role: 'system', content: system });
  }
  for (const [i, m] of body.messages.entries()) {
    const role = (m as { role?: unknown } | null)?.role;
    const content = contentText((m as { content?: unknown } | null)?.content);
    if (role !== 'user' && role !== 'assistant') return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (content === undefined) return `messages.${i}.content: Input should be a valid string or list of blocks`;
    messages.push({ role, content });
  }
  const stop = stopList(body.stop_sequences);
  if (stop === undefined) return 'stop_sequences: Input should be a valid list of strings';
  if (stop.some((s) => s.trim() === '')) return 'stop_sequences: each stop sequence must contain non-whitespace';
  const temperature = optionalNumber(body.temperature);
  if (temperature === null) return 'temperature: Input should be a valid number';
  return { provider: 'anthropic', model: body.model, messages, maxTokens: body.max_tokens, stop, temperature, body };
}

function stopReason(shaped: ShapedReply): string {
  if (shaped.finish === 'length') return 'max_tokens';
  return shaped.finish === 'stop' ? 'stop_sequence' : 'end_turn';
}

function sse(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

function reply(req: FakeLlmRequest, shaped: ShapedReply, id: string, chunkChars: number): WireReply {
  const input = promptTokens(req.messages);
  const stopSequence = shaped.stopSequence ?? null;
  if (req.body.stream !== true) {
    const body = {
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      model: req.model,
      content: [{ type: 'text', text: shaped.text }],
      stop_reason: stopReason(shaped),
      stop_sequence: stopSequence,
      usage: { input_tokens: input, output_tokens: shaped.outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
    return { contentType: 'application/json', body: JSON.stringify(body) };
  }
  const parts = [
    sse('message_start', {
      message: {
        id: `msg_${id}`,
        type: 'message',
        role: 'assistant',
        model: req.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: input, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    }),
    sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    sse('ping', {}),
  ];
  for (const piece of chunkText(shaped.text, chunkChars)) {
    if (piece !== '') parts.push(sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }));
  }
  parts.push(
    sse('content_block_stop', { index: 0 }),
    sse('message_delta', {
      delta: { stop_reason: stopReason(shaped), stop_sequence: stopSequence },
      usage: { output_tokens: shaped.outputTokens },
    }),
    sse('message_stop', {}),
  );
  return { contentType: 'text/event-stream; charset=utf-8', body: parts.join('') };
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

function error(status: number, message: string): string {
  const type = errorTypes[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_fake' });
}

function malformed(stream: boolean): WireReply {
  if (stream) {
    return { contentType: 'text/event-stream; charset=utf-8', body: 'event: message_start\ndata: {"type":"message_start","message":{"id":\n\n' };
  }
  return { contentType: 'application/json', body: '{"id":"msg_broken","type":"message","content":[{"type":"te' };
}

export const anthropicWire: WireFormat = { provider: 'anthropic', parse, reply, error, malformed };
