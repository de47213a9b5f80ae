import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeEnv, fakeGenerator } from '../../../test/support/fake-llm-server-fixtures.js';
import { countFakeTokens, startFakeLlmServer, type FakeLlmRequest, type FakeLlmServer } from '../../../test/support/fake-llm-server.js';
import type { ChatMessage, CompletionRequest } from '../../core/ports.js';
import { createProvider } from './provider-factory.js';

let server: FakeLlmServer;
let seen: FakeLlmRequest[] = [];
beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(() => server.close());
beforeEach(() => {
  seen = [];
  server.setResponder((req) => {
    seen.push(req);
    return 'Question: what is 2+2?\n[RESULT] 4 [/RESULT]\n[END]\nINPUT: and more';
  });
});

const messages: ChatMessage[] = [
  { role: 'system', content: 'You write math problems.' },
  { role: 'user', content: 'INPUT: write one\nOUTPUT:' },
];
const request: CompletionRequest = { messages, maxTokens: 200, temperature: 0.7, topP: 0.9, stop: ['[END]'], repetitionPenalty: 1.03 };
const promptChars = messages.reduce((n, m) => n + m.content.length, 0);
const cases = [
  { provider: 'openai', stream: false },
  { provider: 'openai', stream: true },
  { provider: 'anthropic', stream: false },
  { provider: 'anthropic', stream: true },
] as const;

describe.each(cases)('$provider (stream: $stream)', ({ provider, stream }) => {
  const make = (extra = {}) => createProvider(fakeGenerator(server, provider, extra), fakeEnv, { stream, baseDelayMs: 1 });

  it('returns the text cut at the stop sequence, with usage from the API', async () => {
    const result = await make().complete(request);
    const expected = 'Question: what is 2+2?\n[RESULT] 4 [/RESULT]\n';
    expect(result.text).toBe(expected);
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ inputTokens: Math.ceil(promptChars / 4), outputTokens: countFakeTokens(expected) });
    expect(result.attempts).toBe(1);
    expect(result.model).toBe(provider === 'anthropic' ? 'claude-fake' : 'gpt-fake');
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(seen[0]?.stop).toEqual(['[END]']);
    expect(seen[0]?.body.stream ?? false).toBe(stream);
  });

  it('reports finish "length" when max tokens cut the reply', async () => {
    const result = await make().complete({ ...request, maxTokens: 3, stop: [] });
    expect(result.text).toBe('Question: wh');
    expect(result.finishReason).toBe('length');
    expect(result.usage.outputTokens).toBe(3);
  });

  it('sends the system prompt the way the provider takes it', async () => {
    await make().complete(request);
    const body = seen[0]!.body;
    if (provider === 'anthropic') {
      expect(body.system).toBe('You write math problems.');
      expect(body.messages).toEqual([{ role: 'user', content: 'INPUT: write one\nOUTPUT:' }]);
      expect(body.max_tokens).toBe(200);
    } else {
      expect(body.messages).toEqual(messages);
      expect(body.max_tokens).toBe(200);
    }
    expect(seen[0]!.messages).toEqual(messages);
  });

  it('sends only the sampling parameters the provider accepts', async () => {
    await make().complete(request);
    const body = seen[0]!.body;
    if (provider === 'anthropic') {
      // The API version of @anthropic-ai/sdk 1.x answers 400 to any of these.
      expect(body).not.toHaveProperty('temperature');
      expect(body).not.toHaveProperty('top_p');
    } else {
      expect(body).toMatchObject({ temperature: 0.7, top_p: 0.9 });
    }
    expect(body).not.toHaveProperty('repetition_penalty');
  });
});

describe('openai-compatible', () => {
  it('passes repetition_penalty through and needs no key', async () => {
    const gen = fakeGenerator(server, 'openai-compatible', { model: 'meta-llama/Llama-3.1-8B-Instruct' });
    const result = await createProvider(gen, {}).complete(request);
    expect(result.text).toContain('[RESULT] 4 [/RESULT]');
    expect(seen[0]!.body).toMatchObject({ repetition_penalty: 1.03, model: 'meta-llama/Llama-3.1-8B-Instruct' });
  });

  it('reports its generator id and starts at the configured concurrency', () => {
    const provider = createProvider(fakeGenerator(server, 'openai-compatible', { id: 'llama-8b', concurrency: 7 }), {});
    expect(provider.generatorId).toBe('llama-8b');
    expect(provider.concurrency).toBe(7);
  });
});
