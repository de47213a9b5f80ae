import { describe, expect, it } from 'vitest';
import { createEmbeddingClient } from '../src/adapters/metrics/embedding-client.js';
import { createLogprobClient } from '../src/adapters/metrics/logprob-client.js';
import { itemPerplexity, meanPerplexity } from '../src/core/analysis/perplexity.js';
import { waitUntil } from './support/fake-llm-server-fixtures.js';
import { freshSignal as signal, providerFailure as failure, useMetricServer } from './support/metric-clients-fixture.js';

// The logprob and embedding clients against the stand-in's routes (test/support/fake-llm-server-metrics.ts)
// over real HTTP; expected values are worked out here from the formulas documented there.

const { server, endpoint } = useMetricServer();

// Tokens "Solve", " 2x", " +", " 3", " =", " 11", " quickly": word lengths 5 2 1 1 1 2 7, so the
// logprobs -((len % 4) + 1) / 4 are, after the first token's null:
const PROMPT = 'Solve 2x + 3 = 11 quickly';
const PROMPT_LOGPROBS = [null, -0.75, -0.5, -0.5, -0.5, -0.75, -1];

/** A completion body as a server would send it, for the shapes the stand-in does not produce. */
function completionBody(logprobs: unknown, usage?: unknown): string {
  return JSON.stringify({ id: 'x', object: 'text_completion', model: 'base', choices: [{ index: 0, text: 'ok', logprobs, finish_reason: 'length' }], usage });
}

describe('logprob client', () => {
  it("returns the prompt's token logprobs, the first null, without the generated token", async () => {
    const r = await createLogprobClient(endpoint()).promptLogprobs(PROMPT, signal());
    expect(r.tokenLogprobs).toEqual(PROMPT_LOGPROBS);
    expect(r.inputTokens).toBe(7);
    expect(server().stats.byPath['/v1/completions']).toBe(1);
  });

  it("gives core/analysis/perplexity.ts what it needs: an instruction's perplexity is exp(-mean) of its logprobs", async () => {
    const other = 'Name three primes';
    const client = createLogprobClient(endpoint({ baseURL: `${server().url}/v1/` }));
    const items = [await client.promptLogprobs(PROMPT, signal()), await client.promptLogprobs(other, signal())];
    // PROMPT: mean of the six scored logprobs is -4 / 6. 'Name three primes': lengths 4 5 6 give
    // null, -((5 % 4) + 1) / 4 = -0.5, -((6 % 4) + 1) / 4 = -0.75: mean -0.625.
    expect(itemPerplexity(items[0]!)).toEqual({ tokens: 6, perplexity: expect.closeTo(Math.exp(4 / 6), 12) as number });
    const summary = meanPerplexity(items);
    expect(summary.scored).toBe(2);
    expect(summary.mean).toBeCloseTo((Math.exp(4 / 6) + Math.exp(0.625)) / 2, 12);
  });

  it('without usage, counts the tokens that start inside the prompt', async () => {
    const text = 'ab cd';
    const logprobs = { tokens: ['ab', ' cd', ' ok'], token_logprobs: [null, -0.3, -0.1], text_offset: [0, 2, 5] };
    server().inject({ kind: 'raw', path: '/v1/completions', body: completionBody(logprobs) });
    const r = await createLogprobClient(endpoint()).promptLogprobs(text, signal());
    expect(r).toEqual({ tokenLogprobs: [null, -0.3], inputTokens: 2 });
  });

  it.each([
    ['returns no logprobs', completionBody(null, { prompt_tokens: 7, completion_tokens: 1 }), /choices\.0\.logprobs is missing/],
    [
      'ignores echo (usage says 7 prompt tokens, one logprob came)',
      completionBody({ tokens: [' ok'], token_logprobs: [-0.1], text_offset: [0] }, { prompt_tokens: 7, completion_tokens: 1 }),
      /token_logprobs has 1 entries for 7 prompt tokens.*ignores echo/,
    ],
    [
      'ignores echo and sends no usage',
      completionBody({ tokens: [' ok'], token_logprobs: [-0.1], text_offset: [0] }),
      /token_logprobs\.0 is -0\.1, not null.*ignores echo/,
    ],
    [
      'sends neither usage nor offsets',
      completionBody({ tokens: ['a'], token_logprobs: [null] }),
      /usage\.prompt_tokens and choices\.0\.logprobs\.text_offset/,
    ],
  ])('fails at once, naming the field, when the server %s', async (_, body, message) => {
    server().inject({ kind: 'raw', path: '/v1/completions', body });
    const e = await failure(createLogprobClient(endpoint()).promptLogprobs(PROMPT, signal()));
    expect(e.kind).toBe('bad-request');
    expect(e.message).toMatch(message);
    expect(e.message).toContain(`${server().url}/v1`);
    expect(server().stats.total).toBe(1);
  });

  it('retries a 429 (Retry-After), a 500 and a hung attempt, then returns the values', async () => {
    server().inject([
      { kind: 'status', status: 429, retryAfterSeconds: 0.05, path: '/v1/completions' },
      { kind: 'status', status: 500, path: '/v1/completions' },
      { kind: 'hang', path: '/v1/completions' },
    ]);
    const r = await createLogprobClient(endpoint({ maxRetries: 3, timeoutMs: 1_000 })).promptLogprobs(PROMPT, signal());
    expect(r.tokenLogprobs).toEqual(PROMPT_LOGPROBS);
    expect(server().stats.byPath['/v1/completions']).toBe(4);
    expect(server().stats.faultsServed).toBe(3);
  });

  it('gives up on a body that is not JSON with a malformed error once retries are spent', async () => {
    server().inject([
      { kind: 'malformed', path: '/v1/completions' },
      { kind: 'malformed', path: '/v1/completions' },
    ]);
    const e = await failure(createLogprobClient(endpoint({ maxRetries: 1 })).promptLogprobs(PROMPT, signal()));
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/JSON.*gave up after 2 attempts/);
  });

  it('stops a hung request when the caller aborts', async () => {
    server().inject({ kind: 'hang', path: '/v1/completions' });
    const controller = new AbortController();
    const pending = createLogprobClient(endpoint({ timeoutMs: 60_000 })).promptLogprobs(PROMPT, controller.signal);
    await waitUntil(() => server().stats.byPath['/v1/completions'] === 1);
    controller.abort();
    expect((await failure(pending)).kind).toBe('aborted');
    await waitUntil(() => server().stats.inFlight === 0);
  });
});

const e = (i: number) => Array.from({ length: 8 }, (_, j) => (j === i ? 1 : 0));

describe('embedding client', () => {
  // Words hash to (sum of code units) % 8: 'a' 97 -> 1, 'b' 98 -> 2, 'ab' 195 -> 3; '!!!' has no word.
  const texts = ['a', 'b b', 'ab', 'a b', '!!!'];
  const expected = [e(1), e(2), e(3), [0, Math.SQRT1_2, Math.SQRT1_2, 0, 0, 0, 0, 0], e(0)];

  it('embeds in the order of the texts, batchSize texts per request, summing the usage', async () => {
    const r = await createEmbeddingClient({ ...endpoint(), batchSize: 2 }).embed(texts, signal());
    expect(r.vectors).toHaveLength(5);
    r.vectors.forEach((v, i) => v.forEach((x, j) => expect(x).toBeCloseTo(expected[i]![j]!, 12)));
    // Stand-in tokens: 1 + 2 + 1 + 2 + 1.
    expect(r.inputTokens).toBe(7);
    expect(server().stats.byPath['/v1/embeddings']).toBe(3);
  });

  it('sends 64 texts per request by default, and none for no texts', async () => {
    const many = Array.from({ length: 65 }, (_, i) => (i % 2 === 0 ? 'a' : 'ab'));
    const client = createEmbeddingClient(endpoint());
    const r = await client.embed(many, signal());
    expect(r.vectors[63]).toEqual(e(3));
    expect(r.vectors[64]).toEqual(e(1));
    expect(server().stats.byPath['/v1/embeddings']).toBe(2);
    expect(await client.embed([], signal())).toEqual({ vectors: [], inputTokens: 0 });
    expect(server().stats.byPath['/v1/embeddings']).toBe(2);
  });

  it('retries a 429 and a 500', async () => {
    server().inject([
      { kind: 'status', status: 429, retryAfterSeconds: 0.05, path: '/v1/embeddings' },
      { kind: 'status', status: 500, path: '/v1/embeddings' },
    ]);
    const r = await createEmbeddingClient(endpoint()).embed(['ab'], signal());
    expect(r.vectors).toEqual([e(3)]);
    expect(server().stats.byPath['/v1/embeddings']).toBe(3);
  });

  it.each([
    [
      'vectors of two lengths',
      [
        { index: 0, embedding: [1, 0] },
        { index: 1, embedding: [1] },
      ],
      /data\.1\.embedding has 1 numbers, the others 2/,
    ],
    [
      'an index twice',
      [
        { index: 0, embedding: [1] },
        { index: 0, embedding: [1] },
      ],
      /data\.1\.index 0 occurs twice/,
    ],
    ['one vector for two texts', [{ index: 0, embedding: [1] }], /data has 1 embeddings for 2 inputs/],
    ['no usage', undefined, /usage/],
  ])('names the field of a body with %s', async (_, data, message) => {
    const body = JSON.stringify(data === undefined ? { data: [{ index: 0, embedding: [1] }] } : { data, usage: { prompt_tokens: 2 } });
    server().inject({ kind: 'raw', path: '/v1/embeddings', body });
    const err = await failure(createEmbeddingClient(endpoint({ maxRetries: 0 })).embed(['a', 'b'], signal()));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(message);
  });

  it('stops when the caller aborts', async () => {
    server().inject({ kind: 'hang', path: '/v1/embeddings' });
    const controller = new AbortController();
    const pending = createEmbeddingClient(endpoint({ timeoutMs: 60_000 })).embed(['a'], controller.signal);
    await waitUntil(() => server().stats.byPath['/v1/embeddings'] === 1);
    controller.abort();
    expect((await failure(pending)).kind).toBe('aborted');
  });
});
