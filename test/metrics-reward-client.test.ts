import { describe, expect, it } from 'vitest';
import { createRewardClient } from '../src/adapters/metrics/reward-client.js';
import { waitUntil } from './support/fake-llm-server-fixtures.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { freshSignal as signal, providerFailure as failure, useMetricServer } from './support/metric-clients-fixture.js';

// The reward client against the stand-in's /pooling (test/support/fake-llm-server-metrics.ts) over
// real HTTP; the expected reward is worked out here from the formula documented there.

const { server, endpoint } = useMetricServer();

describe('reward client', () => {
  // 'Add two and three' has 4 words, 'Two plus three is five' 5: 5 / 4 - 4 / 8.
  const instruction = 'Add two and three';
  const response = 'Two plus three is five';
  const reward = 0.75;

  it("scores a sequence classifier's single number and a token-level pooler's last token", async () => {
    expect(await createRewardClient(endpoint({ model: 'rm' })).score(instruction, response, signal())).toBe(reward);
    // Nine tokens: the first eight answer i / 100, which must not be mistaken for the reward.
    expect(await createRewardClient(endpoint({ model: 'rm-token', baseURL: `${server().url}/v1` })).score(instruction, response, signal())).toBe(reward);
    expect(server().stats.byPath['/pooling']).toBe(2);
  });

  it('honours Retry-After on a 429 and retries a 500', async () => {
    server().inject([
      { kind: 'status', status: 429, retryAfterSeconds: 0.2, path: '/pooling' },
      { kind: 'status', status: 503, path: '/pooling' },
    ]);
    expect(await createRewardClient(endpoint()).score(instruction, response, signal())).toBe(reward);
    const [first, second] = server().stats.arrivals;
    expect(server().stats.arrivals).toHaveLength(3);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(200);
  });

  it("fails at once on a 400 with the server's own message", async () => {
    server().inject({ kind: 'raw', status: 400, path: '/pooling', body: JSON.stringify({ message: 'Model rm does not support the pooling task' }) });
    const err = await failure(createRewardClient(endpoint({ model: 'rm' })).score(instruction, response, signal()));
    expect(err).toMatchObject({ kind: 'bad-request', status: 400 });
    expect(err.message).toContain('HTTP 400: Model rm does not support the pooling task');
    expect(server().stats.total).toBe(1);
  });

  it.each([
    ['a body that is not JSON', { kind: 'malformed' as const }, /not JSON/],
    ['data without numbers', { kind: 'raw' as const, body: JSON.stringify({ data: [{ data: [] }] }) }, /data\.0\.data holds no number/],
    ['no data', { kind: 'raw' as const, body: JSON.stringify({ object: 'list' }) }, /data:/],
  ])('gives up on %s with a malformed error naming it', async (_, fault, message) => {
    server().inject([
      { ...fault, path: '/pooling' },
      { ...fault, path: '/pooling' },
    ]);
    const err = await failure(createRewardClient(endpoint({ maxRetries: 1 })).score(instruction, response, signal()));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(message);
    expect(err.message).toContain('gave up after 2 attempts');
  });

  it('stops a hung request, and a Retry-After wait, when the caller aborts', async () => {
    server().inject({ kind: 'hang', path: '/pooling' });
    const hung = new AbortController();
    const pending = createRewardClient(endpoint({ timeoutMs: 60_000 })).score(instruction, response, hung.signal);
    await waitUntil(() => server().stats.byPath['/pooling'] === 1);
    hung.abort();
    expect((await failure(pending)).kind).toBe('aborted');

    server().inject({ kind: 'status', status: 429, retryAfterSeconds: 600, path: '/pooling' });
    const waiting = new AbortController();
    const retrying = createRewardClient(endpoint()).score(instruction, response, waiting.signal);
    await waitUntil(() => server().stats.faultsServed === 2);
    waiting.abort();
    expect((await failure(retrying)).kind).toBe('aborted');
  });

  it('sends the key as a Bearer token and keeps a wrong one out of its error', async () => {
    const keyed = await startFakeLlmServer({ apiKey: 'sk-metrics-right-key-0123' });
    try {
      const opts = { ...endpoint(), baseURL: keyed.url, model: 'rm' };
      expect(await createRewardClient({ ...opts, apiKey: 'sk-metrics-right-key-0123' }).score(instruction, response, signal())).toBe(reward);
      const err = await failure(createRewardClient({ ...opts, apiKey: 'sk-metrics-wrong-key-4567' }).score(instruction, response, signal()));
      expect(err.kind).toBe('auth');
      expect(err.message).toMatch(/HTTP 401: Incorrect API key provided: \[REDACTED\]$/);
      expect(err.message).not.toContain('wrong-key');
    } finally {
      await keyed.close();
    }
  });
});
