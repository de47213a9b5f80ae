import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testConfig } from '../../test/support/temp-run.js';
import { costNano, nanoToUsd, reservationNano } from '../core/cost.js';
import { ProviderError, type CompletionRequest, type CompletionResult, type ProviderPort } from '../core/ports.js';
import { BudgetLedger } from '../store/budget-ledger.js';
import { openStore, type Db } from '../store/open-store.js';
import { syncRunFromConfig } from '../store/run-repo.js';
import { BudgetedCalls, BudgetExhaustedError } from './budgeted-calls.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const price = { input: 1, output: 2 };
const generator = { id: 'gen-a', price };
const request: CompletionRequest = { messages: [{ role: 'user', content: 'Write one math problem.' }], maxTokens: 500, temperature: 0 };
const amount = reservationNano(request.messages, request.maxTokens, price);
const usage = { inputTokens: 12, outputTokens: 34 };

/** Our own port, answered by a function the test chooses; it records the requests it got. */
function stubProvider(answer: (req: CompletionRequest) => Promise<CompletionResult>): ProviderPort & { seen: CompletionRequest[] } {
  const seen: CompletionRequest[] = [];
  return {
    generatorId: 'gen-a',
    concurrency: 4,
    seen,
    setMaxConcurrency: () => {},
    complete: (req) => (seen.push(req), answer(req)),
  };
}
const ok = async (): Promise<CompletionResult> => ({ text: 'answer', usage, finishReason: 'stop', latencyMs: 5, attempts: 2, model: 'm' });

function setup(budgetNano: number, provider: ProviderPort, signal = new AbortController().signal) {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const db: Db = openStore(path.join(t.dir, 'agora.db'));
  cleanups.unshift(() => db.close());
  syncRunFromConfig(db, testConfig({ budget: { usd: nanoToUsd(budgetNano) } }));
  const ledger = new BudgetLedger(db);
  const calls = new BudgetedCalls({ ledger, provider, generator, cellId: null, jobId: 7, purpose: 'test', signal });
  const rows = () => db.prepare(`SELECT id, outcome, cost_nano AS cost, worst_case AS worst, error FROM api_calls`).all();
  return { db, ledger, calls, rows };
}

describe('budgeted calls', () => {
  it("reserves the worst case, sends the run signal, settles the real cost with the caller's writes", async () => {
    const provider = stubProvider(ok);
    const signal = new AbortController().signal;
    const { db, ledger, calls, rows } = setup(amount * 10, provider, signal);
    const { reserved, refused } = calls.reserve([request]);
    expect(refused).toBeUndefined();
    expect(ledger.totals()).toEqual({ spentNano: 0, reservedNano: amount });
    const out = await calls.call(reserved[0]!, (result) => (callId) => {
      // Inside the settle's transaction: the call row is already there.
      expect(db.prepare(`SELECT outcome FROM api_calls WHERE id = ?`).get(callId)).toEqual({ outcome: 'ok' });
      return `${result.text} #${callId}`;
    });
    expect(out).toMatchObject({ ok: true, value: expect.stringMatching(/^answer #\d+$/) });
    expect(provider.seen[0]!.signal).toBe(signal);
    expect(ledger.totals()).toEqual({ spentNano: costNano(usage, price), reservedNano: 0 });
    expect(rows()).toEqual([expect.objectContaining({ outcome: 'ok', cost: costNano(usage, price), worst: 0 })]);
  });

  it("rolls the settle back when the caller's writes fail: the reservation stays open", async () => {
    const { ledger, calls, rows } = setup(amount * 10, stubProvider(ok));
    const r = calls.reserve([request]).reserved[0]!;
    await expect(
      calls.call(r, () => () => {
        throw new Error('write failed');
      }),
    ).rejects.toThrow('write failed');
    expect(rows()).toEqual([]);
    expect(ledger.totals()).toEqual({ spentNano: 0, reservedNano: amount });
  });

  it('charges an aborted call at its reservation, a failed one at nothing', async () => {
    const errors: unknown[] = [new ProviderError('aborted', 'cut off'), new ProviderError('server', 'HTTP 500', 500), new Error('socket hang up')];
    const { ledger, calls, rows } = setup(
      amount * 10,
      stubProvider(() => Promise.reject(errors.shift())),
    );
    const reserved = calls.reserve([request, request, request]).reserved;
    const outs = [];
    for (const r of reserved) outs.push(await calls.call(r));
    expect(outs.map((o) => (o.ok ? 'ok' : o.error.kind))).toEqual(['aborted', 'server', 'network']);
    expect(ledger.totals()).toEqual({ spentNano: amount, reservedNano: 0 });
    expect(ledger.orphanedNano()).toBe(amount);
    expect(rows()).toEqual([
      expect.objectContaining({ outcome: 'error', cost: amount, worst: 1, error: 'aborted: cut off' }),
      expect.objectContaining({ outcome: 'error', cost: 0, worst: 0, error: 'server: HTTP 500' }),
      expect.objectContaining({ outcome: 'error', cost: 0, worst: 0, error: 'network: socket hang up' }),
    ]);
  });

  it('reserves the prefix of a burst that fits and says contended, or exhausted when the cap itself is reached', () => {
    const { ledger, calls } = setup(Math.floor(amount * 2.5), stubProvider(ok));
    const burst = calls.reserve([request, request, request]);
    expect(burst.reserved).toHaveLength(2);
    expect(burst.refused).toEqual({ reason: 'contended', scope: '*' });
    expect(ledger.totals().reservedNano).toBe(2 * amount);
    const big = { ...request, maxTokens: request.maxTokens * 10 };
    expect(calls.reserve([big])).toEqual({ reserved: [], refused: { reason: 'exhausted', scope: '*' } });
  });

  it('waits while others fill the cap and goes on once they settle; throws when exhausted or stopped', async () => {
    const { ledger, calls } = setup(Math.floor(amount * 1.5), stubProvider(ok));
    const first = calls.reserve([request]).reserved[0]!;
    let waited = false;
    const second = calls.reserveWaiting(request, 5).then((r) => ((waited = true), r));
    await new Promise((r) => setImmediate(r));
    expect(waited).toBe(false);
    await calls.call(first);
    const r = await second;
    expect(r.amountNano).toBe(amount);
    expect(ledger.totals().reservedNano).toBe(amount);
    await expect(calls.reserveWaiting({ ...request, maxTokens: request.maxTokens * 10 })).rejects.toBeInstanceOf(BudgetExhaustedError);

    const stop = new AbortController();
    const stopped = setup(amount, stubProvider(ok), stop.signal);
    stopped.calls.reserve([request]);
    const pending = stopped.calls.reserveWaiting(request, 60_000);
    stop.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
  });
});
