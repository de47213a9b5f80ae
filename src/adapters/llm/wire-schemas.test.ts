import { describe, expect, it } from 'vitest';
import { fakeEnv, fakeGenerator } from '../../../test/support/fake-llm-server-fixtures.js';
import type { FakeLlmServer } from '../../../test/support/fake-llm-server.js';
import { ProviderError, type CompletionRequest } from '../../core/ports.js';
import { createProvider } from './provider-factory.js';
import { useSharedFakeServer } from '../../../test/support/shared-fake-server.js';

// Provider bodies that are JSON but not the shape agora reads: the real SDKs talking to the fake
// server, which sends them once; each must be a 'malformed' attempt (retried) naming the field,
// where the old readers dropped the value and went on with a shorter text.

let server: FakeLlmServer;
useSharedFakeServer((s) => (server = s));

const request: CompletionRequest = { messages: [{ role: 'user', content: 'hello' }], maxTokens: 50, temperature: 1 };

const sse = (events: readonly unknown[]) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n';
const anthropicSse = (events: ReadonlyArray<{ type: string }>) => events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join('');

async function retriedOnce(provider: 'openai' | 'anthropic', stream: boolean, body: string, contentType?: string): Promise<string[]> {
  server.inject({ kind: 'raw', body, ...(contentType !== undefined && { contentType }) });
  const messages: string[] = [];
  const p = createProvider(fakeGenerator(server, provider), fakeEnv, { stream, baseDelayMs: 1 });
  const result = await p.complete({ ...request, onRetry: (r) => messages.push(`${r.kind}: ${r.message}`) });
  expect(result).toMatchObject({ text: 'Echo: hello', attempts: 2 });
  return messages;
}

describe('OpenAI bodies', () => {
  it('a stream chunk whose delta content is not text is malformed, naming the chunk and field', async () => {
    const body = sse([
      { id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: { content: 'Echo' }, finish_reason: null }] },
      { id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: { content: 42 }, finish_reason: 'stop' }] },
      { id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } },
    ]);
    const messages = await retriedOnce('openai', true, body, 'text/event-stream');
    expect(messages).toEqual([expect.stringMatching(/^malformed: malformed OpenAI stream chunk 1: choices\.0\.delta\.content: /)]);
  });

  it('usage counts that are not whole numbers are malformed, naming the field', async () => {
    const body = JSON.stringify({
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: '7' },
    });
    const messages = await retriedOnce('openai', false, body);
    expect(messages).toEqual([expect.stringMatching(/^malformed: malformed OpenAI response: usage\.completion_tokens: /)]);
  });
});

describe('Anthropic bodies', () => {
  it('a content block of type text without text is malformed, not an empty answer', async () => {
    const body = JSON.stringify({
      id: 'msg',
      type: 'message',
      role: 'assistant',
      model: 'm',
      content: [{ type: 'text', text: { value: 'hi' } }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 1, output_tokens: 1 },
    });
    const messages = await retriedOnce('anthropic', false, body);
    expect(messages).toEqual([expect.stringMatching(/^malformed: malformed Anthropic response: content\.0\.text: a text block has no text/)]);
  });

  it('a text delta without text in a stream is malformed, naming the event', async () => {
    const body = anthropicSse([
      {
        type: 'message_start',
        message: { id: 'msg', type: 'message', role: 'assistant', model: 'm', content: [], usage: { input_tokens: 1, output_tokens: 0 } },
      } as { type: string },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } as { type: string },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', txt: 'Echo' } } as { type: string },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } } as { type: string },
      { type: 'message_stop' },
    ]);
    const messages = await retriedOnce('anthropic', true, body, 'text/event-stream');
    expect(messages).toEqual([
      expect.stringMatching(/^malformed: malformed Anthropic stream event 2 \(content_block_delta\): delta\.text: a text_delta block has no text/),
    ]);
  });

  it('cache counts of another type are malformed rather than counted as 0', async () => {
    const body = JSON.stringify({
      id: 'msg',
      type: 'message',
      role: 'assistant',
      model: 'm',
      content: [{ type: 'text', text: 'hi' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: '900' },
    });
    const messages = await retriedOnce('anthropic', false, body);
    expect(messages).toEqual([expect.stringMatching(/^malformed: malformed Anthropic response: usage\.cache_read_input_tokens: /)]);
  });
});

describe('error bodies of OpenAI-compatible servers', () => {
  it("FastAPI's validation list (vLLM) becomes field: message, not a JSON dump", async () => {
    const detail = [{ loc: ['body', 'max_tokens'], msg: 'Input should be a valid integer', type: 'int_parsing', input: 'many' }];
    server.inject({ kind: 'raw', status: 422, body: JSON.stringify({ detail }) });
    const p = createProvider(fakeGenerator(server, 'openai-compatible'), fakeEnv, { baseDelayMs: 1 });
    const e = await p.complete(request).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e).toMatchObject({
      kind: 'bad-request',
      status: 422,
      message: expect.stringMatching(/422 body\.max_tokens: Input should be a valid integer$/) as unknown,
    });
  });
});
