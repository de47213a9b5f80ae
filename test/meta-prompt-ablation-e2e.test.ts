import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agoraResponder, promptText } from './support/agora-responder.js';
import { standInSweep } from './support/stand-in-sweep.js';
import { readRunDb } from './support/read-run-db.js';
import { runAgora } from './support/run-cli.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('metaPrompt as a list: the ablation is a dimension of the sweep (Table 5)', () => {
  it('generates each setting once per variant, each in its own style, and plans, shows and reports them', async () => {
    const seen = { json: 0, delimited: 0 };
    const respond = agoraResponder({ badEvery: 7 });
    const t = await standInSweep(
      cleanups,
      (server) => `
name: e2e
instancesPerCell: 6
budget: { usd: 20 }
generators:
  - { id: oss, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", apiKeyEnv: E2E_KEY, price: { input: 1, output: 2 }, concurrency: 4 }
settings: [math/instance, code/response]
metaPrompt: [default, json]
`,
      {
        responder: (req) => {
          if (promptText(req).includes('Reply with one JSON object')) seen.json++;
          else seen.delimited++;
          return respond(req);
        },
      },
    );
    const configFile = t.configFile;
    const env = { E2E_KEY: 'sk-test-ablation-0123456789' };
    const plan = await runAgora(['plan', '--config', configFile], { cwd: t.dir, env });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('math/instance@json');

    const r = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', configFile], { cwd: t.dir, env });
    expect(r.stdout).toContain('all 4 cells finished generate');
    expect(r.code).toBe(0);
    expect(seen.json).toBeGreaterThan(0);
    expect(seen.delimited).toBeGreaterThan(0);

    const cells = readRunDb(path.join(t.dir, 'runs/e2e/agora.db'), (db) =>
      db.prepare(`SELECT setting, accepted, target, state FROM cells ORDER BY id`).all(),
    ) as Array<{ setting: string; accepted: number; target: number; state: string }>;
    expect(cells.map((c) => c.setting)).toEqual(['math/instance', 'code/response', 'math/instance@json', 'code/response@json']);
    for (const c of cells) {
      expect(c).toMatchObject({ state: 'done' });
      expect(c.accepted).toBe(c.target);
      const train = fs
        .readFileSync(path.join(t.dir, 'runs/e2e/oss', ...c.setting.split('/'), 'train.jsonl'), 'utf8')
        .trim()
        .split('\n');
      expect(train.length).toBeGreaterThanOrEqual(c.target);
    }

    const status = await runAgora(['status', '--config', configFile], { cwd: t.dir, env });
    expect(status.stdout).toContain('math/instance@json');

    const report = await runAgora(['report', '--format', 'json', '--config', configFile], { cwd: t.dir, env });
    expect(report.code).toBe(0);
    const ablation = (JSON.parse(report.stdout) as { ablation: { rows: Array<{ generator: string; variant: string; values: unknown[] }> } }).ablation;
    expect(ablation.rows.map((r) => `${r.generator} ${r.variant}`)).toEqual(['oss default', 'oss json']);
    // Generated, not yet trained: every value says where the cell is, none is a number.
    expect(ablation.rows[1]!.values[0]).toEqual({ status: expect.stringContaining('generate') });
    const md = await runAgora(['report', '--config', configFile], { cwd: t.dir, env });
    expect(md.stdout).toContain('## Table 5: meta-prompt ablation');
  });
});
