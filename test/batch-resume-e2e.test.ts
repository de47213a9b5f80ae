import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCellDetail } from '../src/engine/cell-detail.js';
import { isProcessAlive } from '../src/engine/process-liveness.js';
import { agoraResponder } from './support/agora-responder.js';
import { batchConfig, batchEnv, billedNano, readBooks, writeConfig } from './support/batch-run.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { readRunDb } from './support/read-run-db.js';
import { runAgora, startAgora, waitFor } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const N = 8;

async function setup(provider: 'openai' | 'anthropic') {
  const server = await startFakeLlmServer({ responder: agoraResponder() });
  cleanups.push(() => server.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  writeConfig(t.dir, batchConfig(server, { n: N, settings: 'math/response', generators: [provider] }));
  return { server, dir: t.dir, dbFile: path.join(t.dir, 'runs/batch/agora.db') };
}

const args = ['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'];
const inFlight = (file: string) =>
  readRunDb(
    file,
    (db) => db.prepare(`SELECT id, provider_batch_id FROM batches WHERE state = 'in-flight'`).get() as { id: number; provider_batch_id: string } | undefined,
  );
const workerPid = (file: string) =>
  readRunDb(file, (db) => (db.prepare(`SELECT pid FROM jobs WHERE state = 'running'`).get() as { pid: number | null } | undefined)?.pid ?? undefined);

describe.each(['openai', 'anthropic'] as const)('a %s batch in flight survives kill -9 of its worker', (provider) => {
  it('stays reserved (not orphan-charged) while the worker is gone, and is polled, never sent again, on restart', async () => {
    const { server, dir, dbFile } = await setup(provider);
    // The provider holds the batch in progress until the test lets it finish.
    server.batches.hold(true);
    const env = batchEnv(100);
    const first = startAgora(args, { cwd: dir, env });
    const batch = await waitFor(() => inFlight(dbFile), 'a batch in flight');
    await waitFor(() => (server.batches.stats.polls >= 2 ? true : undefined), 'the worker polling it');
    const pid = await waitFor(() => workerPid(dbFile), 'the worker pid');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => (isProcessAlive(pid) ? undefined : true), 'the worker to be gone');
    const r1 = await first.done;
    expect(r1.code).toBe(1);
    expect(server.batches.stats.created[provider]).toBe(1);

    // The dead worker's batch is still out: its N reservations are held, nothing was charged.
    const mid = readBooks(dbFile);
    expect(mid.cells[0]).toMatchObject({ state: 'failed', accepted: 0 });
    expect(mid.openReservations).toBe(N);
    expect(mid.reserved).toBeGreaterThan(0);
    expect(mid.calls).toEqual([]);
    expect(mid.spent['*'] ?? 0).toBe(0);
    expect(mid.batches).toEqual([expect.objectContaining({ state: 'in-flight', total: N, provider_batch_id: batch.provider_batch_id })]);
    const polledBefore = server.batches.stats.polls;
    // The cell's detail view shows the provider's progress (its log tail)...
    const detail = readRunDb(dbFile, (db) => loadCellDetail(db, path.join(dir, 'runs/batch'), 1));
    expect(
      detail?.logTail.some((l) => /batch 1\/1: \d\/8 done at the provider \(in_progress\)$/.test(l)),
      detail?.logTail.join('\n'),
    ).toBe(true);
    // ...and `agora status` what is out at the provider.
    const status = await runAgora(['status', '--config', 'sweep.yaml'], { cwd: dir, env });
    expect(status.stdout).toMatch(/math\/response\s+generate:failed 0\/8 \$0\.00 · 1 batch at the provider: \d\/8 done/);
    const json = JSON.parse((await runAgora(['status', '--json', '--config', 'sweep.yaml'], { cwd: dir, env })).stdout) as {
      cells: Array<Record<string, unknown>>;
    };
    expect(json.cells[0]!.batches).toEqual({ batches: 1, done: expect.any(Number), total: N });

    server.batches.hold(false);
    const r2 = await runAgora(args, { cwd: dir, env });
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    // Polled again under the same id, and not sent a second time.
    expect(server.batches.stats.created[provider]).toBe(1);
    expect(server.batches.stats.requests).toBe(N);
    expect(server.batches.stats.polls).toBeGreaterThan(polledBefore);
    const end = readBooks(dbFile);
    expect(end.cells[0]).toMatchObject({ state: 'done', accepted: N, target: N });
    expect(end.instancesPerCell).toEqual([N]);
    expect(end.batches).toEqual([expect.objectContaining({ state: 'settled', provider_batch_id: batch.provider_batch_id })]);
    expect(end.openReservations).toBe(0);
    expect(end.reserved).toBe(0);
    expect(end.orphaned).toBe(0);
    expect(end.spent['*']).toBe(billedNano(server.batches.stats.billed));
    expect(end.callSum).toBe(end.spent['*']);
    const log = fs.readFileSync(path.join(dir, `runs/batch/${provider === 'openai' ? 'gpt' : 'claude'}/math/response/generate.log`), 'utf8');
    expect(log).toMatch(/1 batch already at the provider: polling it, not sending it again/);
  });
});

describe('a batch whose sending was cut off by kill -9', () => {
  it('is charged at its worst case (it may have reached the provider) and its items go out again', async () => {
    const { server, dir, dbFile } = await setup('openai');
    // The provider takes the batch but its answer never comes back: the worker never learns the id.
    server.batches.inject({ kind: 'hang-create' });
    const env = batchEnv(100);
    const first = startAgora(args, { cwd: dir, env });
    await waitFor(() => (server.batches.stats.created.openai === 1 ? true : undefined), 'the batch to reach the provider');
    const submitting = readRunDb(dbFile, (db) => db.prepare(`SELECT state, provider_batch_id FROM batches`).all());
    expect(submitting).toEqual([{ state: 'submitting', provider_batch_id: null }]);
    const pid = await waitFor(() => workerPid(dbFile), 'the worker pid');
    process.kill(pid, 'SIGKILL');
    expect((await first.done).code).toBe(1);
    const reservedNano = readBooks(dbFile).reserved;
    expect(reservedNano).toBeGreaterThan(0);

    const r2 = await runAgora(args, { cwd: dir, env });
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    expect(server.batches.stats.created.openai).toBe(2);
    const end = readBooks(dbFile);
    expect(end.cells[0]).toMatchObject({ state: 'done', accepted: N, target: N });
    expect(end.batches.map((b) => b.state)).toEqual(['lost', 'settled']);
    const orphaned = end.calls.filter((c) => c.outcome === 'orphaned');
    expect(orphaned).toHaveLength(N);
    // The lost batch's reservations, charged whole: the ledger over-states, never under-states.
    expect(end.orphaned).toBe(reservedNano);
    expect(end.spent['*']).toBe(billedNano(server.batches.stats.billed) + reservedNano);
    expect(end.openReservations).toBe(0);
    expect(end.reserved).toBe(0);
    expect(end.callSum).toBe(end.spent['*']);
  });
});

describe('agora stop with a batch in flight', () => {
  it('cancels the cell, keeps the batch reserved at the provider, and a retry collects it without sending it again', async () => {
    const { server, dir, dbFile } = await setup('anthropic');
    server.batches.hold(true);
    const env = batchEnv(100);
    const conductor = startAgora(args, { cwd: dir, env });
    await waitFor(() => inFlight(dbFile), 'a batch in flight');
    const stop = await runAgora(['stop', '--config', 'sweep.yaml'], { cwd: dir, env });
    expect(stop.code).toBe(0);
    expect((await conductor.done).code).toBe(1);
    const mid = readBooks(dbFile);
    expect(mid.cells[0]).toMatchObject({ state: 'cancelled' });
    expect(mid.openReservations).toBe(N);
    expect(mid.calls).toEqual([]);
    expect(mid.batches.map((b) => b.state)).toEqual(['in-flight']);

    server.batches.hold(false);
    const again = await runAgora([...args, '--retry-failed'], { cwd: dir, env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(server.batches.stats.created.anthropic).toBe(1);
    const end = readBooks(dbFile);
    expect(end.cells[0]).toMatchObject({ state: 'done', accepted: N });
    expect(end.openReservations).toBe(0);
    expect(end.spent['*']).toBe(billedNano(server.batches.stats.billed));
  });
});

describe('a batch in flight when the config drops batch: true', () => {
  it('is still collected, and live calls finish what it did not answer', async () => {
    const { server, dir, dbFile } = await setup('openai');
    server.batches.hold(true);
    server.batches.inject({ kind: 'row-error', count: 1, status: 500 });
    const env = batchEnv(100);
    const first = startAgora(args, { cwd: dir, env });
    await waitFor(() => inFlight(dbFile), 'a batch in flight');
    process.kill(await waitFor(() => workerPid(dbFile), 'the worker pid'), 'SIGKILL');
    expect((await first.done).code).toBe(1);
    const config = path.join(dir, 'sweep.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(', batch: true', ''));
    server.batches.hold(false);
    const r2 = await runAgora(args, { cwd: dir, env });
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    expect(server.batches.stats.created.openai).toBe(1);
    // The errored row's item was asked again live, at the live price.
    expect(server.stats.byPath['/v1/chat/completions']).toBe(1);
    const end = readBooks(dbFile);
    expect(end.cells[0]).toMatchObject({ state: 'done', accepted: N });
    expect(end.batches.map((b) => b.state)).toEqual(['settled']);
    expect(end.openReservations).toBe(0);
  });
});
