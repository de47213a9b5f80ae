import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../src/config/load-config.js';
import type { CellScores } from '../src/core/snapshot.js';
import { openStore } from '../src/store/open-store.js';
import { syncRunFromConfig } from '../src/store/run-repo.js';
import { itemSetKey } from '../src/core/evaluate/item-set.js';
import { writeCellScores } from '../src/store/score-repo.js';
import { saveBenchmarkScore } from '../src/store/eval-repo.js';
import { baselineSource, sourceIdentity } from '../src/core/evaluate/student-source.js';
import { runAgora } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';
import { payCall } from './support/paid-call.js';

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

/** The same sweep with the paper's reference numbers asked for explicitly. */
const PAPER_CONFIG = CONFIG.replace('baselines: { base:', 'baselines: { reference: { scores: paper }, base:');

function setup(configText = CONFIG): { dir: string; configFile: string } {
  const t = tempDir('agora-report-');
  cleanups.push(t.cleanup);
  const configFile = path.join(t.dir, 'sweep.yaml');
  fs.writeFileSync(configFile, configText);
  const config = loadConfigFile(configFile);
  const db = openStore(path.join(t.dir, 'runs/rep/agora.db'));
  try {
    syncRunFromConfig(db, config);
    const id = (g: string, s: string) => (db.prepare(`SELECT id FROM cells WHERE generator = ? AND setting = ?`).get(g, s) as { id: number }).id;
    const scores = (g: string, s: string, v: CellScores) =>
      db.prepare(`UPDATE cells SET stage = 'score', state = 'done', scores_json = ? WHERE id = ?`).run(JSON.stringify(v), id(g, s));
    scores('gpt-4o', 'math/instance', {
      benchmarks: { gsm8k: 60, math: 28.08 },
      pgrByBenchmark: { gsm8k: { value: 68.2 }, math: { value: 55.8 } },
      pgr: { value: 62 },
    });
    scores('gpt-4o', 'code/instance', {
      benchmarks: { mbpp: 50, humaneval: 40 },
      pgrByBenchmark: { mbpp: { value: 35 }, humaneval: { value: 25 } },
      pgr: { value: 30 },
    });
    scores('gpt-4o', 'inst/instance', {
      benchmarks: { alpaca_eval: 10 },
      pgrByBenchmark: { alpaca_eval: { reason: 'no base-model score on AlpacaEval 2.0' }, arena_hard: { reason: 'no student score on Arena-Hard' } },
      pgr: { reason: 'no base-model score on AlpacaEval 2.0' },
    });
    db.prepare(`UPDATE cells SET stage = 'train', state = 'failed', error = 'CUDA out of memory' WHERE id = ?`).run(id('llama-8b', 'math/instance'));
    // The reference evaluated in this harness (the default): its MBPP is barely above the base's 40.
    const evaluate = config.evaluate!;
    const refSource = baselineSource('reference', evaluate);
    for (const [benchmark, score] of [
      ['gsm8k', 80.2],
      ['math', 36.1],
      ['mbpp', 41],
      ['humaneval', 70],
    ] as const) {
      if (refSource)
        saveBenchmarkScore(db, {
          subject: 'reference',
          benchmark,
          score,
          n: 100,
          ciLow: null,
          ciHigh: null,
          source: 'evaluated',
          details: { itemSet: itemSetKey(benchmark, evaluate), model: sourceIdentity(refSource, evaluate.model) },
        });
    }
    // Scored for real: MBPP 45 against base 40 and reference 41 gives PGR 500, flagged.
    const llamaCode = id('llama-8b', 'code/instance');
    for (const [benchmark, score] of [
      ['mbpp', 45],
      ['humaneval', 90],
    ] as const) {
      saveBenchmarkScore(db, { subject: `cell:${llamaCode}`, benchmark, score, n: 100, ciLow: null, ciHigh: null, source: 'evaluated', details: {} });
    }
    db.prepare(`UPDATE cells SET stage = 'score', state = 'done' WHERE id = ?`).run(llamaCode);
    writeCellScores(db, config, { id: llamaCode, setting: 'code/instance' });
    const call = (generator: string, cellId: number | null, purpose: string, usd: number) => payCall(db, { generator, cellId, purpose, usd });
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
    expect(r.stdout).toMatch(/\| llama-8b \|  \| 325\.0! \[3\] \|  \| n\/a \[4\] \|/);
    // Issue 9: a PGR that cannot be read as recovery is marked, with the reason as a footnote.
    expect(r.stdout).toContain('[3] ! MBPP: PGR 500.0 is above 150 (the base-reference gap is only 1.0 points)');
    expect(r.stdout).toContain('| gpt-4o | gpt-4o-2024-08-06 | 20.00 | 3.00 | 80.9 |');
    expect(r.stdout).toContain("Judging the baselines' answers cost 4.00 USD besides.");
    // Which baselines PGR used, said once above Table 2.
    expect(r.stdout).toContain('- S_0 (base): scores given in evaluate.baselines.base.scores, not evaluated here.');
    expect(r.stdout).toContain("- S_ref (reference): checkpoint meta-llama/Llama-3.1-8B-Instruct, evaluated in agora's harness.");
    expect(r.stdout).not.toContain("the paper's published");
    expect(r.stdout).toContain('| base | GSM8K | 19.84 |  | config |');
    // The reference as evaluated here, with the paper's number beside it as a labelled comparison column.
    expect(r.stdout).toContain('| Subject | Benchmark | Score | n | Source | PGR | Paper S_ref | PGR vs paper S_ref |');
    expect(r.stdout).toContain('| reference | MATH | 36.10 | 100 | evaluated |  | 34.6 |  |');
    expect(r.stdout).toContain('| gpt-4o math/instance | MATH | 28.08 |  |  | 55.8 |  | 55.8 |');
    expect(r.stdout).toMatch(/\| llama-8b code\/instance \| MBPP \| 45\.00 \|  \|  \| 500\.0! \[\d\] \|  \| 17\.5 \|/);
  });

  it("uses the paper's reference numbers only when the config says scores: paper, and says so", async () => {
    const { dir, configFile } = setup();
    // The run was scored against the evaluated reference; the config now asks for the paper's numbers.
    fs.writeFileSync(configFile, PAPER_CONFIG);
    const r = await runAgora(['report', '--config', configFile], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "- S_ref (reference): the paper's published Llama-3.1-8B-Instruct scores (evaluate.baselines.reference.scores: paper), not evaluated here.",
    );
    expect(r.stdout).toContain('| reference | MATH | 34.60 |  | paper |  | 34.6 |  |');
    // A cell scored before the switch keeps the PGR it was scored with, and the report says so.
    expect(r.stdout).toMatch(/1 scored cell used another S_ref than this config names \(checkpoint meta-llama\/Llama-3\.1-8B-Instruct\)/);
  });

  it('writes JSON and CSV, and rejects an unknown format', async () => {
    const { dir, configFile } = setup();
    const j = await runAgora(['report', '--format', 'json', '--config', configFile], { cwd: dir });
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout) as {
      table3: Array<Record<string, unknown>>;
      table2: { rows: Array<{ values: unknown[] }> };
      baselines: Record<string, unknown>;
    };
    expect(doc.table3[0]).toMatchObject({ generator: 'gpt-4o', generationCostUsd: 20, judgeCostUsd: 3, problemSolving: { value: 80.9 } });
    expect(doc.table2.rows[1]!.values[0]).toEqual({ status: 'train failed: CUDA out of memory' });
    const out = path.join(dir, 'exports', 'report.csv');
    const c = await runAgora(['report', '--format', 'csv', '--out', out, '--config', configFile], { cwd: dir });
    expect(c.code).toBe(0);
    const csv = fs.readFileSync(out, 'utf8');
    expect(csv).toContain('pgr,llama-8b,math/instance,,,pgr,,train failed: CUDA out of memory');
    expect(csv).toContain(
      'benchmark,,,base,alpaca_eval,score,,"no base-model score on AlpacaEval 2.0: set evaluate.baselines.base (a checkpoint, an endpoint or scores)"',
    );
    expect(csv).toContain('benchmark,,,reference,arena_hard,score,,the reference model has not been evaluated on Arena-Hard yet');
    expect(csv).toContain('benchmark,,,reference,arena_hard,paper_s_ref,25.5,');
    expect(csv).toContain(`baseline,,,reference,,origin,,"checkpoint meta-llama/Llama-3.1-8B-Instruct, evaluated in agora's harness"`);
    expect(csv).toContain('pgr,llama-8b,code/instance,,,pgr,325,MBPP: PGR 500.0 is above 150 (the base-reference gap is only 1.0 points)');
    expect(doc.baselines.reference).toEqual({ kind: 'evaluated', model: 'checkpoint meta-llama/Llama-3.1-8B-Instruct' });
    expect(doc.table2.rows[1]!.values[1]).toEqual({ value: 325, flag: 'MBPP: PGR 500.0 is above 150 (the base-reference gap is only 1.0 points)' });
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
