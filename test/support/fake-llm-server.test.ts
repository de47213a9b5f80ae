import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { defaultResponder, startFakeLlmServer, type FakeLlmServer } from './fake-llm-server.js';
import { waitUntil } from './fake-llm-server-fixtures.js';
import { useSharedFakeServer } from './shared-fake-server.js';

let server: FakeLlmServer;
useSharedFakeServer((s) => (server = s));

const chat = (body: object) =>
  fetch(`${server.openaiBaseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const messages = (body: object, headers: Record<string, string> = {}) =>
  fetch(`${server.anthropicBaseURL}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const openAiBody = {
  model: 'm',
  messages: [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'one two [END] three' },
  ],
};
const anthropicBody = { model: 'c', max_tokens: 100, system: 'sys', messages: [{ role: 'user', content: 'one two [END] three' }] };

function sseData(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
    .map((l) => JSON.parse(l.slice(6)) as unknown);
}

describe('OpenAI wire format', () => {
  it('answers a chat completion, cut at the stop string, with usage', async () => {
    const res = await chat({ ...openAiBody, stop: ['[END]'] });
    const body = (await res.json()) as { choices: { message: { content: string }; finish_reason: string }[]; usage: object };
    expect(body.choices[0]).toMatchObject({ message: { content: 'Echo: one two ' }, finish_reason: 'stop' });
    // 3 + 19 prompt characters, 14 completion characters, 4 per token.
    expect(body.usage).toEqual({ prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 });
  });

  it('stops at max_tokens with finish_reason length', async () => {
    const body = (await (await chat({ ...openAiBody, max_tokens: 2 })).json()) as { choices: { message: { content: string }; finish_reason: string }[] };
    expect(body.choices[0]).toMatchObject({ message: { content: 'Echo: on' }, finish_reason: 'length' });
  });

  it('streams deltas, a finish chunk, a usage chunk when asked, and [DONE]', async () => {
    const text = await (await chat({ ...openAiBody, stream: true, stream_options: { include_usage: true } })).text();
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const chunks = sseData(text) as { choices: { delta: { content?: string }; finish_reason: string | null }[]; usage?: object | null }[];
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Echo: one two [END] three');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 6, completion_tokens: 7 } });
    const plain = sseData(await (await chat({ ...openAiBody, stream: true })).text()) as { usage?: unknown }[];
    expect(plain.every((c) => c.usage === undefined)).toBe(true);
  });

  it('lists models and rejects a bad request in the OpenAI error shape', async () => {
    const models = (await (await fetch(`${server.openaiBaseURL}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(['fake-model']);
    const res = await chat({ model: 'm' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('messages') } });
  });
});

describe('Anthropic wire format', () => {
  it('answers a message with stop_sequence and usage, the system prompt reaching the responder', async () => {
    const seen: unknown[] = [];
    server.setResponder((req) => (seen.push(req.messages), defaultResponder(req)));
    const body = await (await messages({ ...anthropicBody, stop_sequences: ['[END]'] })).json();
    expect(body).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'Echo: one two ' }], stop_reason: 'stop_sequence', stop_sequence: '[END]' });
    expect(body).toMatchObject({ usage: { input_tokens: 6, output_tokens: 4 } });
    expect(seen[0]).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'one two [END] three' },
    ]);
  });

  it('streams the real event sequence with usage', async () => {
    const text = await (await messages({ ...anthropicBody, max_tokens: 3, stream: true })).text();
    const events = sseData(text) as { type: string; delta?: { text?: string; stop_reason?: string }; usage?: object }[];
    expect([...new Set(events.map((e) => e.type))]).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(
      events
        .filter((e) => e.type === 'content_block_delta')
        .map((e) => e.delta?.text)
        .join(''),
    ).toBe('Echo: one tw');
    expect(events.find((e) => e.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 3 } });
  });

  it('refuses sampling parameters under API version 2026-10-21, like the real API', async () => {
    const res = await messages({ ...anthropicBody, temperature: 1 }, { 'anthropic-version': '2026-10-21' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect((await messages({ ...anthropicBody, temperature: 1 }, { 'anthropic-version': '2023-06-01' })).status).toBe(200);
  });
});

describe('faults', () => {
  it('serves queued faults in order, each to the next request on its path, in each provider error shape', async () => {
    server.inject([
      { kind: 'status', status: 529, path: '/v1/messages' },
      { kind: 'status', status: 429, retryAfterSeconds: 2, retryAfterMs: 1500 },
    ]);
    const first = await chat(openAiBody);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(first.headers.get('retry-after-ms')).toBe('1500');
    expect(await first.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded' } });
    expect((await chat(openAiBody)).status).toBe(200);
    const second = await messages(anthropicBody);
    expect(second.status).toBe(529);
    expect(await second.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    expect(server.stats).toMatchObject({ total: 3, faultsServed: 2, faultsByKind: { status: 2 } });
    expect(server.stats.byPath).toEqual({ '/v1/chat/completions': 2, '/v1/messages': 1 });
  });

  it('sends broken JSON for malformed, and delays for delay', async () => {
    server.inject([{ kind: 'malformed' }, { kind: 'delay', ms: 50 }]);
    const broken = await chat(openAiBody);
    expect(broken.status).toBe(200);
    await expect(broken.json()).rejects.toThrow(SyntaxError);
    const start = performance.now();
    expect((await chat(openAiBody)).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(49);
  });

  it('draws probabilistic faults from a seeded RNG, reproducibly', async () => {
    const pattern = async (s: FakeLlmServer) => {
      s.inject({ rate: 0.3, fault: { kind: 'status', status: 500 } });
      const out: number[] = [];
      for (let i = 0; i < 60; i++) out.push((await fetch(`${s.openaiBaseURL}/models`)).status);
      return out;
    };
    const [a, b] = await Promise.all([startFakeLlmServer({ seed: 7 }), startFakeLlmServer({ seed: 7 })]);
    const [pa, pb] = [await pattern(a), await pattern(b)];
    await Promise.all([a.close(), b.close()]);
    expect(pa).toEqual(pb);
    const failures = pa.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });

  it('holds a hung request until close(), which ends it', async () => {
    const own = await startFakeLlmServer();
    own.inject({ kind: 'hang' });
    const hung = fetch(`${own.openaiBaseURL}/models`).then(
      () => 'answered',
      () => 'ended',
    );
    await waitUntil(() => own.stats.inFlight === 1);
    await own.close();
    expect(await hung).toBe('ended');
    await waitUntil(() => own.stats.inFlight === 0);
  });
});

describe('stats', () => {
  it('counts concurrent requests in flight and their arrivals', async () => {
    // Every answer waits until all five requests are in: they overlap however loaded the machine.
    let release!: () => void;
    const allIn = new Promise<void>((r) => (release = r));
    let seen = 0;
    server.setResponder(async (req) => {
      if (++seen === 5) release();
      await allIn;
      return defaultResponder(req);
    });
    await Promise.all(Array.from({ length: 5 }, () => chat(openAiBody).then((r) => r.text())));
    server.setResponder(defaultResponder);
    expect(server.stats.maxInFlight).toBe(5);
    expect(server.stats.inFlight).toBe(0);
    expect(server.stats.arrivals).toHaveLength(5);
    expect(server.stats.arrivals.every((a) => a.path === '/v1/chat/completions' && a.at > 0)).toBe(true);
  });

  it('keeps connections alive across many requests at zero latency', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
    const payload = JSON.stringify(openAiBody);
    const post = () =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${server.openaiBaseURL}/chat/completions`,
          { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    const before = server.stats.connections;
    const n = 400;
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next++ < n) statuses.push(await post());
      }),
    );
    agent.destroy();
    expect(statuses.filter((s) => s === 200)).toHaveLength(n);
    expect(server.stats.connections - before).toBeLessThanOrEqual(10);
  });
});
