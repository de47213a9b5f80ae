import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../src/config/load-config.js';
import type { CellScores } from '../src/core/snapshot.js';
import { openStore } from '../src/store/open-store.js';
import { syncRunFromConfig } from '../src/store/run-repo.js';
import { BudgetLedger } from '../src/store/budget-ledger.js';
import { saveBenchmarkScore } from '../src/workers/evaluate/eval-store.js';
import { runAgora } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanups.splice(0).reverse()) f();
});

const CONFIG = `
name: rep
instancesPerCell: 10
budget: { usd: 100 }
generators:
  - { id: gpt-4o, provider: openai, model: gpt-4o-2024-08-06, price: { input: 2.5, output: 10 } }
  - { id: llama-8b, provider: openai-compatible, model: llama-3.1-8b, baseURL: "http://127.0.0.1:9/v1", price: { input: 0.055, output: 0.055 } }
settings: [math/instance, code/instance, inst/instance]
evaluate:
  judge: { generator: { id: judge, provider: openai, model: gpt-4-1106-preview, price: { input: 10, output: 30 } } }
  baselines: { base: { scores: { gsm8k: 19.84, math: 19.84, mbpp: 40, humaneval: 30 } } }
  problemSolving: { gpt-4o: 80.9 }
`;

function setup(): { dir: string; configFile: string } {
  const t = tempDir('agora-report-');
  cleanups.push(t.cleanup);
  const configFile = path.join(t.dir, 'sweep.yaml');
  fs.writeFileSync(configFile, CONFIG);
  const config = loadConfigFile(configFile);
  const db = openStore(path.join(t.dir, 'runs/rep/agora.db'));
  try {
    syncRunFromConfig(db, config);
    const id = (g: string, s: string) => (db.prepare(`SELECT id FROM cells WHERE generator = ? AND setting = ?`).get(g, s) as { id: number }).id;
    const scores = (g: string, s: string, v: CellScores) => db.prepare(`UPDATE cells SET stage = 'score', state = 'done', scores_json = ? WHERE id = ?`).run(JSON.stringify(v), id(g, s));
    scores('gpt-4o', 'math/instance', { benchmarks: { gsm8k: 60, math: 28.08 }, pgrByBenchmark: { gsm8k: { value: 68.2 }, math: { value: 55.8 } }, pgr: { value: 62 } });
    scores('gpt-4o', 'code/instance', { benchmarks: { mbpp: 50, humaneval: 40 }, pgrByBenchmark: { mbpp: { value: 35 }, humaneval: { value: 25 } }, pgr: { value: 30 } });
    scores('gpt-4o', 'inst/instance', { benchmarks: { alpaca_eval: 10 }, pgrByBenchmark: { alpaca_eval: { reason: 'no base-model score on AlpacaEval 2.0' }, arena_hard: { reason: 'no student score on Arena-Hard' } }, pgr: { reason: 'no base-model score on AlpacaEval 2.0' } });
    db.prepare(`UPDATE cells SET stage = 'train', state = 'failed', error = 'CUDA out of memory' WHERE id = ?`).run(id('llama-8b', 'math/instance'));
    const ledger = new BudgetLedger(db);
    const call = (generator: string, cellId: number | null, purpose: string, usd: number) => {
      const r = ledger.reserve({ generator, cellId, jobId: null, amountNano: usd * 1e9 });
      if (!r.ok) throw new Error('no room');
      ledger.settle(r.id, { cellId, jobId: null, generator, purpose, tokensIn: 1, tokensOut: 1, costNano: usd * 1e9, latencyMs: 1, attempts: 1, outcome: 'ok' });
    };
    call('gpt-4o', id('gpt-4o', 'math/instance'), 'generate', 12.5);
    call('gpt-4o', id('gpt-4o', 'code/instance'), 'generate', 7.5);
    call('judge', id('gpt-4o', 'inst/instance'), 'judge', 3);
    call('judge', null, 'judge', 4);
    // Left by an earlier configuration that evaluated the base model: the configured scores rule now.
    saveBenchmarkScore(db, { subject: 'base', benchmark: 'alpaca_eval', score: 1.5, n: 805, ciLow: null, ciHigh: null, source: 'evaluated', details: {} });
  } finally {
    db.close();
  }
  return { dir: t.dir, configFile };
}

describe('agora report', () => {
  it('prints Tables 2 and 3 and the benchmark scores as markdown, with reasons and blanks instead of zeros', async () => {
    const { dir, configFile } = setup();
    const r = await runAgora(['report', '--config', configFile], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('## Table 2: Performance Gap Recovered (%)');
    expect(r.stdout).toContain('| gpt-4o | 62.0 | 30.0 | n/a [1] | n/a [2] |');
    expect(r.stdout).toContain('[1] no base-model score on AlpacaEval 2.0');
    expect(r.stdout).toMatch(/\| llama-8b \|  \|  \|  \|  \|/);
    expect(r.stdout).toContain('| gpt-4o | gpt-4o-2024-08-06 | 20.00 | 3.00 | 80.9 |');
    expect(r.stdout).toContain("Judging the baselines' answers cost 4.00 USD besides.");
    expect(r.stdout).toContain('| base | GSM8K | 19.84 |  | config |');
    expect(r.stdout).toContain('| reference | MATH | 34.60 |  | paper |');
    expect(r.stdout).toContain('| gpt-4o math/instance | MATH | 28.08 |  |  | 55.8 |');
  });

  it('writes JSON and CSV, and rejects an unknown format', async () => {
    const { dir, configFile } = setup();
    const j = await runAgora(['report', '--format', 'json', '--config', configFile], { cwd: dir });
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout) as { table3: Array<Record<string, unknown>>; table2: { rows: Array<{ values: unknown[] }> } };
    expect(doc.table3[0]).toMatchObject({ generator: 'gpt-4o', generationCostUsd: 20, judgeCostUsd: 3, problemSolving: { value: 80.9 } });
    expect(doc.table2.rows[1]!.values[0]).toEqual({ status: 'train failed: CUDA out of memory' });
    const out = path.join(dir, 'exports', 'report.csv');
    const c = await runAgora(['report', '--format', 'csv', '--out', out, '--config', configFile], { cwd: dir });
    expect(c.code).toBe(0);
    const csv = fs.readFileSync(out, 'utf8');
    expect(csv).toContain('pgr,llama-8b,math/instance,,,pgr,,train failed: CUDA out of memory');
    expect(csv).toContain('benchmark,,,base,alpaca_eval,score,,"no base-model score on AlpacaEval 2.0: set evaluate.baselines.base (a checkpoint, an endpoint or scores)"');
    expect(csv).toContain('benchmark,,,reference,arena_hard,score,25.5,');
    const bad = await runAgora(['report', '--format', 'xml', '--config', configFile], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of md, csv, json');
  });

  it('says that no run has started instead of printing an empty report', async () => {
    const t = tempDir('agora-report-');
    cleanups.push(t.cleanup);
    fs.writeFileSync(path.join(t.dir, 'sweep.yaml'), CONFIG);
    const r = await runAgora(['report', '--config', 'sweep.yaml'], { cwd: t.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no run has started/);
  });
});
