import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { standInSweep } from './support/stand-in-sweep.js';
import { readRunDb } from './support/read-run-db.js';
import { runAgora } from './support/run-cli.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

interface CellFacts {
  id: number;
  generator: string;
  setting: string;
  accepted: number;
  target: number;
  state: string;
  calls: number;
  spent_nano: number;
}

describe('the fixed-budget study (Figure 7): a prefix of each cell that a dollar amount buys', () => {
  it('trains each generator on what the amount buys at its measured price, with no call of its own, waiting for its main cell', async () => {
    const t = await standInSweep(
      cleanups,
      (server) => `
name: e2e
instancesPerCell: 8
budget: { usd: 20 }
generators:
  - { id: cheap, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", apiKeyEnv: E2E_KEY, price: { input: 1, output: 2 }, concurrency: 4 }
  - { id: dear, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", apiKeyEnv: E2E_KEY, price: { input: 6, output: 12 }, concurrency: 4 }
settings: [math/instance, code/response]
fixedBudget: { usd: [0.004] }
`,
      { responder: agoraResponder({ badEvery: 5 }) },
    );
    const configFile = t.configFile;
    const env = { E2E_KEY: 'sk-test-budget-0123456789' };
    const plan = await runAgora(['plan', '--config', configFile], { cwd: t.dir, env });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('math/instance@usd0.004');

    const r = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', configFile], { cwd: t.dir, env });
    expect(r.stdout).toContain('all 8 cells finished generate');
    expect(r.code).toBe(0);

    const cells = readRunDb(path.join(t.dir, 'runs/e2e/agora.db'), (db) =>
      db
        .prepare(
          `SELECT c.id, c.generator, c.setting, c.accepted, c.target, c.state,
                  (SELECT COUNT(*) FROM api_calls a WHERE a.cell_id = c.id) AS calls,
                  (SELECT COALESCE(SUM(a.cost_nano), 0) FROM api_calls a WHERE a.cell_id = c.id) AS spent_nano
           FROM cells c ORDER BY c.id`,
        )
        .all(),
    ) as CellFacts[];
    expect(cells).toHaveLength(8);
    const prefixes = new Map<string, number>();
    for (const b of cells.filter((c) => c.setting.endsWith('@usd0.004'))) {
      const setting = b.setting.split('@')[0]!;
      const main = cells.find((c) => c.generator === b.generator && c.setting === setting)!;
      expect(b.calls).toBe(0);
      // What $0.004 buys at the main cell's measured price (all its calls over what it accepted), at most what it holds.
      const perInstance = main.spent_nano / 1e9 / main.accepted;
      const expected = Math.min(main.accepted, Math.floor(0.004 / perInstance + 1e-9));
      expect(b.accepted).toBe(expected);
      expect(b.target).toBe(expected);
      prefixes.set(`${b.generator} ${setting}`, expected);
      const dir = path.join(t.dir, 'runs/e2e', b.generator, ...b.setting.split('/'));
      const train = fs.readFileSync(path.join(dir, 'train.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
      const mainTrain = fs
        .readFileSync(path.join(t.dir, 'runs/e2e', main.generator, ...setting.split('/'), 'train.jsonl'), 'utf8')
        .trim()
        .split('\n');
      // The main file is seeds (instance generation) then instances in order: the prefix file is the same seeds, then the first ones.
      const seeds = mainTrain.length - main.accepted;
      expect(train).toEqual(mainTrain.slice(0, seeds + expected));
      expect(fs.readFileSync(path.join(dir, 'generate.log'), 'utf8')).toMatch(new RegExp(`\\$0\\.004 buys ${expected} of ${main.accepted} instances`));
    }
    // The dear generator buys fewer instances with the same money.
    expect(prefixes.get('cheap math/instance')!).toBeGreaterThan(prefixes.get('dear math/instance')!);

    const report = await runAgora(['report', '--format', 'json', '--config', configFile], { cwd: t.dir, env });
    expect(report.code).toBe(0);
    const table = (JSON.parse(report.stdout) as { fixedBudget: { rows: Array<{ usd: number; generator: string; entries: Array<{ instances?: number }> }> } })
      .fixedBudget;
    expect(table.rows.map((r) => `${r.usd} ${r.generator}`)).toEqual(['0.004 cheap', '0.004 dear']);
    expect(table.rows.map((r) => r.entries[0]!.instances)).toEqual([prefixes.get('cheap math/instance'), prefixes.get('dear math/instance')]);
  });
});
