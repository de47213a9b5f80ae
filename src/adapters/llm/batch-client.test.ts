import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeEnv, fakeGenerator } from '../../../test/support/fake-llm-server-fixtures.js';
import { startFakeLlmServer, type FakeLlmServer } from '../../../test/support/fake-llm-server.js';
import type { CompletionRequest } from '../../core/ports.js';
import { createBatchClient } from './batch-client.js';
import type { BatchClient, BatchStatus } from './batch-port.js';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer({ responder: (req) => `answer to ${req.messages.at(-1)?.content ?? ''}[END]ignored` });
});
afterAll(() => server.close());
beforeEach(() => {
  server.batches.setPollsToFinish(3);
  server.batches.hold(false);
});

const request = (i: number): CompletionRequest => ({
  messages: [
    { role: 'system', content: 'sys' },
    { role: 'user', content: `question ${i}` },
  ],
  maxTokens: 100,
  temperature: 1,
  topP: 0.9,
  stop: ['[END]'],
});
const signal = new AbortController().signal;

async function untilEnded(client: BatchClient, id: string): Promise<BatchStatus[]> {
  const seen: BatchStatus[] = [];
  for (let i = 0; i < 20; i++) {
    const s = await client.status(id, signal);
    seen.push(s);
    if (s.phase === 'ended') return seen;
  }
  throw new Error(`batch ${id} never ended: ${JSON.stringify(seen.at(-1))}`);
}

describe.each(['openai', 'anthropic'] as const)('%s batch API through the real SDK against the stand-in', (provider) => {
  const client = () => createBatchClient(fakeGenerator(server, provider), fakeEnv);

  it('sends a batch, reports progress while it runs, and reads every answer with its usage', async () => {
    const c = client();
    const created = server.batches.stats.created[provider];
    const billedBefore = server.batches.stats.billed.length;
    const id = await c.submit(
      [0, 1, 2, 3].map((i) => ({ customId: `agora-r${i}`, request: request(i) })),
      signal,
    );
    expect(server.batches.stats.created[provider]).toBe(created + 1);
    const seen = await untilEnded(c, id);
    expect(seen.length).toBe(3);
    expect(seen[0]).toMatchObject({ phase: 'in-progress', total: 4, done: 1 });
    expect(seen.at(-1)).toMatchObject({ phase: 'ended', total: 4, done: 4, failed: 0 });
    const rows = await c.results(id, signal);
    expect(rows.map((r) => r.customId).sort()).toEqual(['agora-r0', 'agora-r1', 'agora-r2', 'agora-r3']);
    const billed = server.batches.stats.billed.slice(billedBefore);
    for (const r of rows) {
      if (!r.ok) throw new Error(`row ${r.customId} failed: ${r.error.message}`);
      const i = r.customId.slice(-1);
      expect(r.result.text).toBe(`answer to question ${i}`);
      expect(r.result.finishReason).toBe('stop');
      const bill = billed.find((b) => b.customId === r.customId)!;
      expect(r.result.usage).toEqual({ inputTokens: bill.inputTokens, outputTokens: bill.outputTokens });
      expect(bill.outputTokens).toBeGreaterThan(0);
    }
  });

  it('reports an errored row with its kind, and the rows of an expired batch as unanswered', async () => {
    const c = client();
    server.batches.inject({ kind: 'row-error', count: 1, status: 500, provider });
    const id = await c.submit(
      [0, 1].map((i) => ({ customId: `e${i}`, request: request(i) })),
      signal,
    );
    await untilEnded(c, id);
    const rows = await c.results(id, signal);
    const failed = rows.filter((r) => !r.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ ok: false, error: { kind: 'server' } });
    expect(rows.filter((r) => r.ok)).toHaveLength(1);

    server.batches.inject({ kind: 'expire', provider });
    const id2 = await c.submit(
      [0, 1, 2, 3].map((i) => ({ customId: `x${i}`, request: request(i) })),
      signal,
    );
    const end = (await untilEnded(c, id2)).at(-1)!;
    expect(end.problem).toMatch(/expired/);
    const rows2 = await c.results(id2, signal);
    expect(rows2.filter((r) => r.ok)).toHaveLength(2);
    for (const r of rows2.filter((r) => !r.ok)) expect(r).toMatchObject({ error: { kind: 'timeout' } });
  });

  it('keeps a held batch in progress, one step short of done', async () => {
    const c = client();
    server.batches.hold(true);
    const id = await c.submit(
      [
        { customId: 'h0', request: request(0) },
        { customId: 'h1', request: request(1) },
      ],
      signal,
    );
    for (let i = 0; i < 5; i++) expect(await c.status(id, signal)).toMatchObject({ phase: 'in-progress' });
    server.batches.hold(false);
    expect(await c.status(id, signal)).toMatchObject({ phase: 'ended', done: 2 });
  });
});

describe('batch API errors', () => {
  it('reports a refused key as auth, with the key scrubbed from the message, and creates nothing', async () => {
    const guarded = await startFakeLlmServer({ apiKey: 'the-right-key' });
    try {
      for (const provider of ['openai', 'anthropic'] as const) {
        const c = createBatchClient(fakeGenerator(guarded, provider), fakeEnv);
        const err = await c.submit([{ customId: 'k0', request: request(0) }], signal).then(
          () => undefined,
          (e: unknown) => e as Error & { kind: string },
        );
        expect(err).toMatchObject({ kind: 'auth' });
        expect(err!.message).not.toContain(fakeEnv[provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY']!);
      }
      expect(guarded.batches.stats.created).toEqual({ openai: 0, anthropic: 0 });
    } finally {
      await guarded.close();
    }
  });
});
