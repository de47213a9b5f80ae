import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeEnv, fakeGenerator } from '../../../test/support/fake-llm-server-fixtures.js';
import { startFakeLlmServer, type FakeLlmServer } from '../../../test/support/fake-llm-server.js';
import type { CompletionRequest } from '../../core/ports.js';
import { createProvider } from './provider-factory.js';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.resetStats();
  server.setLatency(0);
});

const request: CompletionRequest = { messages: [{ role: 'user', content: 'hi' }], maxTokens: 20, temperature: 1 };

describe('adaptive concurrency', () => {
  it('halves the limit on a 429 and recovers it through successes', async () => {
    const provider = createProvider(fakeGenerator(server, 'openai', { concurrency: 8 }), fakeEnv, { baseDelayMs: 1 });
    server.inject({ kind: 'status', status: 429 });
    const limitsAtRetry: number[] = [];
    await provider.complete({ ...request, onRetry: () => limitsAtRetry.push(provider.concurrency) });
    expect(limitsAtRetry).toEqual([4]);
    // The retry that succeeded was the first of a run of 4.
    expect(provider.concurrency).toBe(4);
    for (let i = 0; i < 3; i++) await provider.complete(request);
    expect(provider.concurrency).toBe(5);
    for (let i = 0; i < 5 + 6 + 7; i++) await provider.complete(request);
    expect(provider.concurrency).toBe(8);
  });

  it('never has more requests in flight at the server than the limit', async () => {
    const provider = createProvider(fakeGenerator(server, 'anthropic', { concurrency: 3 }), fakeEnv, { stream: true, baseDelayMs: 1 });
    server.setLatency(15);
    const overLimit: number[] = [];
    server.setResponder(() => {
      if (server.stats.inFlight > provider.concurrency) overLimit.push(server.stats.inFlight);
      return 'ok';
    });
    await Promise.all(Array.from({ length: 24 }, () => provider.complete(request)));
    expect(overLimit).toEqual([]);
    expect(server.stats.maxInFlight).toBe(3);
    expect(server.stats.total).toBe(24);
  });

  it('holds a burst to the halved limit after a 429, and follows setMaxConcurrency', async () => {
    const provider = createProvider(fakeGenerator(server, 'openai', { concurrency: 6 }), fakeEnv, { baseDelayMs: 1 });
    server.inject({ kind: 'status', status: 429 });
    await provider.complete(request);
    expect(provider.concurrency).toBe(3);
    provider.setMaxConcurrency(2);
    expect(provider.concurrency).toBe(2);
    server.resetStats();
    server.setLatency(15);
    await Promise.all(Array.from({ length: 12 }, () => provider.complete(request)));
    expect(server.stats.maxInFlight).toBe(2);
    expect(() => provider.setMaxConcurrency(0)).toThrow(RangeError);
  });
});
