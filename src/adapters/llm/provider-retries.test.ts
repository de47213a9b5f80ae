import { describe, expect, it } from 'vitest';
import { fakeEnv, fakeGenerator, waitUntil } from '../../../test/support/fake-llm-server-fixtures.js';
import { startFakeLlmServer, type FakeLlmServer } from '../../../test/support/fake-llm-server.js';
import type { GeneratorConfig } from '../../config/schema.js';
import { ProviderError, type CompletionRequest, type RetryInfo } from '../../core/ports.js';
import { createProvider } from './provider-factory.js';
import { useSharedFakeServer } from '../../../test/support/shared-fake-server.js';

let server: FakeLlmServer;
useSharedFakeServer((s) => (server = s));

const request: CompletionRequest = { messages: [{ role: 'user', content: 'hello' }], maxTokens: 50, temperature: 1 };
const providers = ['openai', 'anthropic'] as const;

function make(provider: GeneratorConfig['provider'], extra: Partial<GeneratorConfig> = {}, stream = false) {
  return createProvider(fakeGenerator(server, provider, extra), fakeEnv, { stream, baseDelayMs: 1 });
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

describe.each(providers)('%s retries', (provider) => {
  it('honours Retry-After on a 429, then succeeds', async () => {
    server.inject({ kind: 'status', status: 429, retryAfterSeconds: 0.3 });
    const retries: RetryInfo[] = [];
    const result = await make(provider).complete({ ...request, onRetry: (r) => retries.push(r) });
    expect(result.text).toBe('Echo: hello');
    expect(result.attempts).toBe(2);
    expect(retries).toMatchObject([{ attempt: 1, kind: 'rate-limit' }]);
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(300);
    const [first, second] = server.stats.arrivals;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(300);
  });

  it('honours retry-after-ms as well', async () => {
    server.inject({ kind: 'status', status: 429, retryAfterMs: 200 });
    await make(provider).complete(request);
    const [first, second] = server.stats.arrivals;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(200);
  });

  it.each([false, true])('retries a 500 and a malformed body (stream: %s)', async (stream) => {
    server.inject([{ kind: 'status', status: 500 }, { kind: 'malformed' }]);
    const kinds: string[] = [];
    const result = await make(provider, {}, stream).complete({ ...request, onRetry: (r) => kinds.push(r.kind) });
    expect(kinds).toEqual(['server', 'malformed']);
    expect(result).toMatchObject({ text: 'Echo: hello', attempts: 3 });
    expect(server.stats.total).toBe(3);
  });

  it('treats well-formed JSON without usage or without content as malformed', async () => {
    const noUsage =
      provider === 'openai'
        ? { choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] }
        : { type: 'message', content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn' };
    const noContent =
      provider === 'openai' ? { choices: [], usage: { prompt_tokens: 1, completion_tokens: 1 } } : { usage: { input_tokens: 1, output_tokens: 1 } };
    server.inject([
      { kind: 'raw', body: JSON.stringify(noUsage) },
      { kind: 'raw', body: JSON.stringify(noContent) },
    ]);
    const messages: string[] = [];
    const result = await make(provider).complete({ ...request, onRetry: (r) => messages.push(`${r.kind}: ${r.message}`) });
    expect(messages).toEqual([expect.stringMatching(/^malformed: .*usage/), expect.stringMatching(/^malformed: .*(choices|content)/)]);
    expect(result.attempts).toBe(3);
  });

  it('times out a hung request and retries it', async () => {
    server.inject({ kind: 'hang' });
    const retries: RetryInfo[] = [];
    const result = await make(provider, { timeoutSeconds: 1 }).complete({ ...request, onRetry: (r) => retries.push(r) });
    expect(retries.map((r) => r.kind)).toEqual(['timeout']);
    expect(result.attempts).toBe(2);
    // The abandoned connection was closed by the client, not left hanging on the server.
    await waitUntil(() => server.stats.inFlight === 0);
  });

  it('gives up after maxRetries with the last kind and status', async () => {
    server.inject([500, 502, 503].map((status) => ({ kind: 'status' as const, status })));
    const e = await failure(make(provider, { maxRetries: 2 }).complete(request));
    expect(e.kind).toBe('server');
    expect(e.status).toBe(503);
    expect(e.message).toMatch(/gave up after 3 attempts/);
    expect(server.stats.total).toBe(3);
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [400, 'bad-request'],
    [404, 'bad-request'],
  ] as const)('does not retry a %i (%s)', async (status, kind) => {
    server.inject({ kind: 'status', status });
    const e = await failure(make(provider).complete(request));
    expect(e).toMatchObject({ kind, status });
    expect(server.stats.total).toBe(1);
  });
});

describe('network errors', () => {
  it('are retried and reported as kind network', async () => {
    const gone = await startFakeLlmServer();
    await gone.close();
    const gen = fakeGenerator(gone, 'openai', { maxRetries: 1 });
    const e = await failure(createProvider(gen, fakeEnv, { baseDelayMs: 1 }).complete(request));
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/gave up after 2 attempts/);
  });
});

describe('abort', () => {
  it('ends an in-flight request at once, without retrying', async () => {
    server.inject({ kind: 'hang' });
    const controller = new AbortController();
    const pending = make('openai').complete({ ...request, signal: controller.signal });
    await waitUntil(() => server.stats.inFlight === 1);
    controller.abort();
    expect((await failure(pending)).kind).toBe('aborted');
    expect(server.stats.total).toBe(1);
  });

  it('ends a backoff sleep at once', async () => {
    server.inject({ kind: 'status', status: 429, retryAfterSeconds: 60 });
    const controller = new AbortController();
    const pending = make('anthropic').complete({ ...request, signal: controller.signal, onRetry: () => controller.abort() });
    expect((await failure(pending)).kind).toBe('aborted');
    expect(server.stats.total).toBe(1);
  });

  it('ends a wait for a concurrency slot, and refuses an already aborted signal', async () => {
    server.inject({ kind: 'hang' });
    const provider = make('openai', { concurrency: 1, timeoutSeconds: 30 });
    const first = new AbortController();
    const hung = provider.complete({ ...request, signal: first.signal });
    await waitUntil(() => server.stats.inFlight === 1);
    const second = new AbortController();
    const queued = provider.complete({ ...request, signal: second.signal });
    second.abort();
    expect((await failure(queued)).kind).toBe('aborted');
    expect((await failure(provider.complete({ ...request, signal: AbortSignal.abort() }))).kind).toBe('aborted');
    first.abort();
    expect((await failure(hung)).kind).toBe('aborted');
    expect(server.stats.total).toBe(1);
  });
});
