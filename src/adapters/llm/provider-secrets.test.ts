import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAnthropicKey, fakeEnv, fakeGenerator, fakeOpenAiKey } from '../../../test/support/fake-llm-server-fixtures.js';
import { startFakeLlmServer, type FakeLlmServer } from '../../../test/support/fake-llm-server.js';
import { ProviderError, type CompletionRequest } from '../../core/ports.js';
import { createProvider } from './provider-factory.js';

// This server accepts another key and echoes the presented one in its 401 body: the worst case.
let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer({ apiKey: 'sk-the-right-key-000000' });
});
afterAll(() => server.close());

const request: CompletionRequest = { messages: [{ role: 'user', content: 'hi' }], maxTokens: 20, temperature: 1 };
const cases = [
  { provider: 'openai', key: fakeOpenAiKey },
  { provider: 'anthropic', key: fakeAnthropicKey },
] as const;

function everythingAbout(e: unknown): string {
  const err = e as Error;
  return [String(e), err.message, err.stack ?? '', JSON.stringify(e), String(err.cause ?? '')].join('\n');
}

describe.each(cases)('$provider API key', ({ provider, key }) => {
  it('never appears in a 401 error, which is not retried', async () => {
    server.resetStats();
    const error = await createProvider(fakeGenerator(server, provider), fakeEnv, { baseDelayMs: 1 })
      .complete(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect((error as Error).message).toMatch(/REDACTED/);
    expect(everythingAbout(error)).not.toContain(key);
    expect(everythingAbout(error)).not.toContain(key.slice(0, 16));
    expect(server.stats.total).toBe(1);
  });

  it('never appears in retry notices', async () => {
    server.inject([
      { kind: 'status', status: 500, message: `upstream said: bad key ${key}` },
      { kind: 'status', status: 500, message: 'x' },
    ]);
    const notices: string[] = [];
    const gen = fakeGenerator(server, provider, { maxRetries: 1 });
    const error = await createProvider(gen, fakeEnv, { baseDelayMs: 1 })
      .complete({ ...request, onRetry: (r) => notices.push(r.message) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'server' });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('upstream said: bad key');
    expect(notices[0]).not.toContain(key);
  });
});

describe('a missing key', () => {
  it('is reported by variable name when the provider is created', () => {
    expect(() => createProvider(fakeGenerator(server, 'anthropic'), {})).toThrow(/ANTHROPIC_API_KEY is not set/);
  });
});
