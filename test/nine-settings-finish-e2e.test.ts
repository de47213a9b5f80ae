import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.js';
import { ALL_SETTINGS, parseSetting } from '../src/core/setting.js';
import { agoraResponder, promptText, refusedByRate } from './support/agora-responder.js';
import { startFakeLlmServer, type FakeResponder } from './support/fake-llm-server.js';
import { runAgora, startAgora, waitFor } from './support/run-cli.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';
import { readRunDb } from './support/read-run-db.js';

// Issue 9, "done when": a sweep over all nine settings with about 10% of answers refused
// finishes every generate cell, with the dropped items counted, and survives kill -9 of the
// conductor and re-attaching. Bundled seeds, small cells, the generate stage only.

const N = 30;
const REFUSE = 0.1;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const bundledCount = (setting: string) =>
  fs
    .readFileSync(path.join(REPO_ROOT, 'seeds', `${setting.replace('/', '-')}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim()).length;

interface StatusCell {
  setting: string;
  stage: string;
  state: string;
  accepted: number;
  target: number;
  rejected: number;
  dropped: number;
  error?: string;
}

describe('a sweep over all nine settings with refusals', () => {
  it('finishes every generate cell, counting dropped items, across kill -9 of the conductor and re-attaching', async () => {
    // Response/quality prompts are the same on every attempt: the ones in the refused 10% are
    // seed items that can never be answered. Each distinct one must end up dropped, once.
    const refusedItems = new Set<string>();
    const inner = agoraResponder({ refuseRate: REFUSE, badEvery: 13 });
    const responder: FakeResponder = (req) => {
      const prompt = promptText(req);
      if (!prompt.trimEnd().endsWith('INPUT:') && refusedByRate(prompt, REFUSE)) refusedItems.add(prompt);
      return inner(req);
    };
    const server = await startFakeLlmServer({ responder, latencyMs: 150 });
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    fs.writeFileSync(
      path.join(t.dir, 'sweep.yaml'),
      `name: nine\ninstancesPerCell: ${N}\nbudget: { usd: 100 }\nseedSets: bundled\ngeneration: { maxWorkers: 4 }\n` +
        `generators:\n  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", price: { input: 1, output: 2 }, concurrency: 8 }\n` +
        `settings: [${ALL_SETTINGS.join(', ')}]\n`,
    );
    const dbFile = path.join(t.dir, 'runs/nine/agora.db');
    // Killed once some seed item has been rejected on all its 10 attempts.
    const progress = () =>
      readRunDb(dbFile, (db) => ({
        exhausted: (
          db
            .prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM rejections WHERE seed_index IS NOT NULL GROUP BY cell_id, seed_index HAVING COUNT(*) >= 10)`)
            .get() as { n: number }
        ).n,
        done: (db.prepare(`SELECT COUNT(*) AS n FROM cells WHERE state = 'done'`).get() as { n: number }).n,
        active: (db.prepare(`SELECT COUNT(*) AS n FROM cells WHERE state IN ('pending', 'running')`).get() as { n: number }).n,
        cells: (db.prepare(`SELECT COUNT(*) AS n FROM cells`).get() as { n: number }).n,
      }));

    const first = startAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: t.dir });
    const seen = await waitFor(() => {
      const p = progress();
      // Not before the conductor has created the cells: an empty table has no active cell either.
      return p && p.cells > 0 && (p.exhausted > 0 || p.active === 0) ? p : undefined;
    }, 'a first seed item rejected on every attempt');
    expect(seen.done, 'the sweep should still be running when its conductor is killed').toBeLessThan(9);
    expect(seen.active, 'a cell stopped before any item was dropped').toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    await first.done;

    // The next conductor re-attaches to the workers that survived and runs the rest.
    const second = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(second.code, second.stdout + second.stderr).toBe(0);

    const status = await runAgora(['status', '--json', '--config', 'sweep.yaml'], { cwd: t.dir });
    const cells = (JSON.parse(status.stdout) as { cells: StatusCell[] }).cells;
    expect(cells.map((c) => c.setting)).toEqual([...ALL_SETTINGS]);
    let dropped = 0;
    for (const c of cells) {
      expect(c, c.error).toMatchObject({ stage: 'generate', state: 'done' });
      if (parseSetting(c.setting as (typeof ALL_SETTINGS)[number]).method === 'instance') {
        expect(c).toMatchObject({ target: N, accepted: N, dropped: 0 });
      } else {
        // One instance per seed item: the planned target is the seed set, kept across re-attaching;
        // every item is either answered or dropped.
        expect(c.target).toBe(bundledCount(c.setting));
        expect(c.accepted + c.dropped).toBe(c.target);
      }
      dropped += c.dropped;
    }
    expect(cells.reduce((n, c) => n + c.rejected, 0)).toBeGreaterThan(0);
    expect(refusedItems.size).toBeGreaterThan(0);
    expect(dropped).toBe(refusedItems.size);

    const db = openStore(dbFile, { readonly: true });
    try {
      // A dropped item was asked exactly attemptsPerItem (10) times: never re-asked after a restart.
      const asked = db
        .prepare(`SELECT d.attempts, (SELECT COUNT(*) FROM rejections r WHERE r.cell_id = d.cell_id AND r.seed_index = d.seed_index) AS n FROM dropped_items d`)
        .all() as Array<{ attempts: number; n: number }>;
      expect(asked).toHaveLength(dropped);
      for (const a of asked) expect(a).toEqual({ attempts: 10, n: 10 });
      expect(db.prepare(`SELECT COUNT(*) AS n FROM reservations`).get()).toEqual({ n: 0 });
      const ledger = db.prepare(`SELECT spent_nano, reserved_nano FROM ledger WHERE scope = '*'`).get() as { spent_nano: number; reserved_nano: number };
      expect(ledger.reserved_nano).toBe(0);
      expect((db.prepare(`SELECT SUM(cost_nano) AS s FROM cells`).get() as { s: number }).s).toBe(ledger.spent_nano);
    } finally {
      db.close();
    }
  }, 240_000);
});
