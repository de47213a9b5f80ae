import { chunkText, contentText, optionalNumber, promptTokens, stopList, type ShapedReply } from './fake-llm-server-reply.js';
import type { FakeLlmRequest, FakeMessage } from './fake-llm-server-types.js';
import type { WireFormat, WireReply } from './fake-llm-server-wire.js';

const roles = new Set(['system', 'developer', 'user', 'assistant']);

function parse(body: Record<string, unknown>): FakeLlmRequest | string {
  if (typeof body.model !== 'string' || body.model === '') return 'you must provide a model parameter';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "'messages' must be a non-empty array";
  const messages: FakeMessage[] = [];
  for (const [i, m] of body.messages.entries()) {
    const role = (m as { role?: unknown } | null)?.role;
    const content = contentText((m as { content?: unknown } | null)?.content);
    if (typeof role !== 'string' || !roles.has(role)) return `messages[${i}].role is invalid`;
    if (content === undefined) return `messages[${i}].content must be a string or an array of parts`;
    messages.push({ role: role === 'developer' ? 'system' : (role as FakeMessage['role']), content });
  }
  const stop = stopList(body.stop);
  if (stop === undefined) return "'stop' must be a string or an array of strings";
  const maxTokens = optionalNumber(body.max_completion_tokens ?? body.max_tokens);
  if (maxTokens === null) return "'max_tokens' must be an integer";
  const temperature = optionalNumber(body.temperature);
  if (temperature === null) return "'temperature' must be a number";
  return { provider: 'openai', model: body.model, messages, maxTokens, stop, temperature, body };
}

function finishReason(shaped: ShapedReply): string {
  return shaped.finish === 'length' ? 'length' : 'stop';
}

function usage(req: FakeLlmRequest, shaped: ShapedReply) {
  const prompt = promptTokens(req.messages);
  return { prompt_tokens: prompt, completion_tokens: shaped.outputTokens, total_tokens: prompt + shaped.outputTokens };
}

function reply(req: FakeLlmRequest, shaped: ShapedReply, id: string, chunkChars: number): WireReply {
  const created = Math.floor(Date.now() / 1000);
  if (req.body.stream !== true) {
    const body = {
      id: `chatcmpl-${id}`,
      object: 'chat.completion',
      created,
      model: req.model,
      choices: [{ index: 0, message: { role: 'assistant', content: shaped.text, refusal: null }, logprobs: null, finish_reason: finishReason(shaped) }],
      usage: usage(req, shaped),
      system_fingerprint: 'fp_fake',
    };
    return { contentType: 'application/json', body: JSON.stringify(body) };
  }
  const base = { id: `chatcmpl-${id}`, object: 'chat.completion.chunk', created, model: req.model, system_fingerprint: 'fp_fake' };
  const includeUsage = (req.body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const events: unknown[] = [];
  const chunk = (delta: object, finish: string | null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage && { usage: null }),
  });
  events.push(chunk({ role: 'assistant', content: '', refusal: null }, null));
  for (const piece of chunkText(shaped.text, chunkChars)) if (piece !== '') events.push(chunk({ content: piece }, null));
  events.push(chunk({}, finishReason(shaped)));
  if (includeUsage) events.push({ ...base, choices: [], usage: usage(req, shaped) });
  const body = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n';
  return { contentType: 'text/event-stream; charset=utf-8', body };
}

const errorTypes: Record<number, [type: string, code: string | null]> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  403: ['invalid_request_error', 'unsupported_country_region_territory'],
  404: ['invalid_request_error', 'model_not_found'],
  429: ['requests', 'rate_limit_exceeded'],
};

function error(status: number, message: string): string {
  const [type, code] = errorTypes[status] ?? (status >= 500 ? ['server_error', null] : ['invalid_request_error', null]);
  return JSON.stringify({ error: { message, type, param: null, code } });
}

function malformed(stream: boolean): WireReply {
  if (stream) {
    return { contentType: 'text/event-stream; charset=utf-8', body: 'data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{"delta":\n\n' };
  }
  return { contentType: 'application/json', body: '{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":{"role":"assist' };
}

export const openAiWire: WireFormat = { provider: 'openai', parse, reply, error, malformed };
