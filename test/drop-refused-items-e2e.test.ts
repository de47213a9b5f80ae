import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../src/engine/process-liveness.js';
import { agoraResponder, promptText } from './support/agora-responder.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeResponder } from './support/fake-llm-server.js';
import { runAgora, startAgora, waitFor } from './support/run-cli.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';
import { readRunDb } from './support/read-run-db.js';

// Issue 9: an item refused on every attempt is dropped, the cell finishes with what it has;
// a resumed or retried cell never asks a settled item again nor counts it twice; targets are
// planned once and never rewritten by a (re-attaching) conductor.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const bundled = (file: string) =>
  fs
    .readFileSync(path.join(REPO_ROOT, 'seeds', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { instruction: string }).instruction);

async function setupRun(responder: FakeResponder, body: (s: FakeLlmServer) => string) {
  const server = await startFakeLlmServer({ responder });
  cleanups.push(() => server.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  fs.writeFileSync(path.join(t.dir, 'sweep.yaml'), body(server));
  return { server, dir: t.dir, dbFile: path.join(t.dir, 'runs/drops/agora.db') };
}

interface StatusCell {
  generator: string;
  setting: string;
  stage: string;
  state: string;
  accepted: number;
  target: number;
  dropped?: number;
  error?: string;
}

async function statusCells(dir: string): Promise<StatusCell[]> {
  const r = await runAgora(['status', '--json', '--config', 'sweep.yaml'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { cells: StatusCell[] }).cells;
}

describe('refused seed items are dropped (response generation, quality enhancement)', () => {
  it('finishes the cell with what it has, and a resumed cell neither re-asks nor re-counts a dropped item', async () => {
    const mathResponse = bundled('math-response.jsonl');
    const codeQuality = bundled('code-quality.jsonl');
    // Two items of each cell are refused on every attempt.
    const refusedItems = [...mathResponse.slice(0, 2), ...codeQuality.slice(0, 2)];
    const refusedOf = (prompt: string) => refusedItems.find((i) => prompt.includes(i));
    const asks = new Map<string, number>();
    // Every other item waits at this gate until the test opens it, so the refused items are
    // settled (dropped) while the cells are still running when both processes are killed.
    let open: () => void = () => {};
    const gate = new Promise<void>((r) => (open = r));
    const inner = agoraResponder({ refuse: (p) => refusedOf(p) !== undefined });
    const responder: FakeResponder = async (req) => {
      const item = refusedOf(promptText(req));
      if (item) asks.set(item, (asks.get(item) ?? 0) + 1);
      else await gate;
      return inner(req);
    };
    const { dir, dbFile } = await setupRun(
      responder,
      (s) =>
        `name: drops\ninstancesPerCell: 100\nbudget: { usd: 100 }\ngeneration: { attemptsPerItem: 3 }\n` +
        `generators:\n  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${s.openaiBaseURL}", price: { input: 1, output: 2 }, concurrency: 64, maxRetries: 0 }\n` +
        `settings: [math/response, code/quality]\nseedSets: bundled\n`,
    );
    cleanups.push(() => open());
    const first = startAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
    const rejectedRefused = () => readRunDb(dbFile, (db) => (db.prepare(`SELECT COUNT(*) AS n FROM rejections`).get() as { n: number }).n) ?? 0;
    await waitFor(() => (rejectedRefused() >= refusedItems.length * 3 ? true : undefined), 'every refused item to be rejected 3 times');
    const pids =
      readRunDb(dbFile, (db) => (db.prepare(`SELECT pid FROM jobs WHERE state = 'running'`).all() as Array<{ pid: number }>).map((r) => r.pid)) ?? [];
    expect(pids).toHaveLength(2);
    first.child.kill('SIGKILL');
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await first.done;
    for (const pid of pids) await waitFor(() => (isProcessAlive(pid) ? undefined : true), 'the worker to be gone');
    open();

    const second = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
    expect(second.stderr).toMatch(/resuming 2 cells/);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const cells = await statusCells(dir);
    expect(cells).toEqual([
      expect.objectContaining({
        setting: 'math/response',
        stage: 'generate',
        state: 'done',
        target: mathResponse.length,
        accepted: mathResponse.length - 2,
        dropped: 2,
      }),
      expect.objectContaining({
        setting: 'code/quality',
        stage: 'generate',
        state: 'done',
        target: codeQuality.length,
        accepted: codeQuality.length - 2,
        dropped: 2,
      }),
    ]);
    // Settled items were never asked again after the restart.
    expect([...asks.values()]).toEqual(refusedItems.map(() => 3));
    // The training file holds what was accepted.
    const train = fs.readFileSync(path.join(dir, 'runs/drops/oss/math/response/train.jsonl'), 'utf8').trim().split('\n');
    expect(train).toHaveLength(mathResponse.length - 2);

    const report = await runAgora(['report', '--config', 'sweep.yaml'], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/oss\s*\|\s*math\/response\s*\|\s*22\s*\|\s*24\s*\|\s*2\s*\|/);
    const json = JSON.parse((await runAgora(['report', '--format', 'json', '--config', 'sweep.yaml'], { cwd: dir })).stdout) as { generation: unknown[] };
    expect(json.generation).toContainEqual({
      generator: 'oss',
      setting: 'code/quality',
      accepted: codeQuality.length - 2,
      target: codeQuality.length,
      dropped: 2,
    });
  }, 150_000);

  it('plans response/quality targets from the seed set and keeps them when a conductor re-attaches', async () => {
    const codeResponse = bundled('code-response.jsonl');
    // After a few answers the rest wait at a gate, opened once the second conductor has
    // synced the run: the cell is then certainly still generating when it re-attaches.
    let open: () => void = () => {};
    const gate = new Promise<void>((r) => (open = r));
    cleanups.push(() => open());
    const inner = agoraResponder();
    let answered = 0;
    const responder: FakeResponder = async (req) => {
      if (++answered > 4) await gate;
      return inner(req);
    };
    const { dir, dbFile } = await setupRun(
      responder,
      (s) =>
        `name: drops\ninstancesPerCell: 300\nbudget: { usd: 100 }\n` +
        `generators:\n  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${s.openaiBaseURL}", price: { input: 1, output: 2 }, concurrency: 2 }\n` +
        `  - { id: nokey, provider: openai, model: gpt-4o, baseURL: "${s.openaiBaseURL}", apiKeyEnv: DROPS_MISSING_KEY, price: { input: 2.5, output: 10 } }\n` +
        `settings: [code/response]\nseedSets: bundled\n`,
    );
    const env = { DROPS_MISSING_KEY: '' };
    const first = startAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir, env });
    const running = () =>
      readRunDb(
        dbFile,
        (db) =>
          db.prepare(`SELECT c.accepted, j.pid FROM cells c JOIN jobs j ON j.cell_id = c.id WHERE j.state = 'running'`).get() as
            { accepted: number; pid: number } | undefined,
      );
    const { pid } = await waitFor(() => ((running()?.accepted ?? 0) >= 2 ? running() : undefined), 'the worker to accept a few');
    // A cell that never ran (its generator has no key) shows the target it will have.
    const blocked = (await statusCells(dir)).find((c) => c.generator === 'nokey');
    expect(blocked).toMatchObject({ state: 'blocked', target: codeResponse.length });
    first.child.kill('SIGKILL');
    await first.done;
    // A second conductor re-attaches to the surviving worker while it still generates.
    // The second conductor is started on a raised budget: seeing it stored says it has synced
    // the config into the store (in the same transaction as the cells).
    const configFile = path.join(dir, 'sweep.yaml');
    fs.writeFileSync(configFile, fs.readFileSync(configFile, 'utf8').replace('budget: { usd: 100 }', 'budget: { usd: 101 }'));
    const second = startAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir, env });
    const budget = () => readRunDb(dbFile, (db) => (db.prepare(`SELECT value FROM run_meta WHERE key = 'budget_nano'`).get() as { value: string }).value);
    await waitFor(() => (budget() === String(101e9) ? true : undefined), 'the second conductor to sync the run');
    open();
    const r2 = await second.done;
    expect(r2.stdout).toMatch(/not finished: 1 blocked/);
    await waitFor(() => (isProcessAlive(pid) ? undefined : true), 'the worker to finish');
    const cells = await statusCells(dir);
    expect(cells.find((c) => c.generator === 'oss')).toMatchObject({ state: 'done', target: codeResponse.length, accepted: codeResponse.length, dropped: 0 });
    expect(cells.find((c) => c.generator === 'nokey')).toMatchObject({ state: 'blocked', target: codeResponse.length });
  }, 150_000);
});
