import { describe, expect, it } from 'vitest';
import type { CellScores } from '../snapshot.js';
import type { SettingId } from '../setting.js';
import { computeCellScores } from './cell-scores.js';
import { buildReport, renderCsv, renderJson, renderMarkdown } from './render.js';
import type { ReportCell, ReportInput } from './report-model.js';
import { buildTable2, buildTable3 } from './tables.js';

const scored = (pgr: number): CellScores => ({ benchmarks: {}, pgrByBenchmark: {}, pgr: { value: pgr } });

function cell(generator: string, setting: SettingId, extra: Partial<ReportCell> = {}): ReportCell {
  return { generator, setting, stage: 'score', state: 'done', generationCostUsd: 1, judgeCostUsd: 0, ...extra };
}

function input(cells: ReportCell[]): ReportInput {
  return {
    name: 'unit',
    generators: [
      { id: 'gpt-4o', model: 'gpt-4o-2024-08-06', problemSolving: 80.9 },
      { id: 'llama-8b', model: 'llama-3.1-8b' },
    ],
    settings: ['math/instance', 'code/instance', 'inst/instance', 'math/response'],
    cells,
    baselines: {
      base: { gsm8k: { score: { value: 19.84 }, source: 'evaluated', n: 1319 } },
      reference: { gsm8k: { score: { value: 78.9 }, source: 'paper' } },
    },
    baselineJudgeCostUsd: 0,
    baselineOrigins: { base: { kind: 'evaluated', model: 'checkpoint meta-llama/Llama-3.1-8B' }, reference: { kind: 'paper' } },
    paperReference: { gsm8k: 78.9 },
  };
}

describe('report tables', () => {
  const cells = [
    cell('gpt-4o', 'math/instance', { scores: scored(60), generationCostUsd: 10 }),
    cell('gpt-4o', 'code/instance', { scores: scored(30), generationCostUsd: 5, judgeCostUsd: 0 }),
    cell('gpt-4o', 'inst/instance', { scores: scored(-3), judgeCostUsd: 2.5 }),
    cell('gpt-4o', 'math/response', { scores: { benchmarks: {}, pgrByBenchmark: {}, pgr: { reason: 'no base-model score on MATH' } } }),
    cell('llama-8b', 'math/instance', { stage: 'train', state: 'running' }),
    cell('llama-8b', 'code/instance', { scores: scored(12) }),
  ];

  it('Table 2 averages each method over its three domains, and says why instead of averaging a partial row', () => {
    const t = buildTable2(input(cells));
    expect(t.columns).toHaveLength(12);
    const gpt = t.rows[0]!.values;
    expect(gpt.slice(0, 4)).toEqual([
      { kind: 'value', value: 60 },
      { kind: 'value', value: 30 },
      { kind: 'value', value: -3 },
      { kind: 'value', value: 29 },
    ]);
    expect(gpt[4]).toEqual({ kind: 'reason', reason: 'no base-model score on MATH' });
    expect(gpt[7]).toEqual({ kind: 'reason', reason: 'needs all 3; missing math, code, inst' });
    expect(gpt[11]).toEqual({ kind: 'empty' });
    const llama = t.rows[1]!.values;
    expect(llama[0]).toEqual({ kind: 'empty', status: 'train running' });
    expect(llama[3]).toEqual({ kind: 'reason', reason: 'needs all 3; missing math, inst' });
  });

  it('Table 3 sums cost per generator and gives its problem-solving score only where the config has one', () => {
    const [gpt, llama] = buildTable3(input(cells));
    expect(gpt).toMatchObject({ generator: 'gpt-4o', generationCostUsd: 17, judgeCostUsd: 2.5, problemSolving: { kind: 'value', value: 80.9 } });
    expect(gpt!.averagePgr).toEqual({ kind: 'reason', reason: 'needs all 4; missing math/response' });
    expect(llama!.problemSolving).toMatchObject({ kind: 'empty' });
    const complete = buildTable3({ ...input(cells.slice(0, 3)), settings: ['math/instance', 'code/instance', 'inst/instance'] });
    expect(complete[0]!.averagePgr).toEqual({ kind: 'value', value: 29 });
  });

  it('renders markdown with blanks for unscored cells and numbered reasons, never a zero', () => {
    const md = renderMarkdown(buildReport(input(cells)));
    expect(md).toContain('| gpt-4o | 60.0 | 30.0 | -3.0 | 29.0 | n/a [1] |');
    expect(md).toContain('[1] no base-model score on MATH');
    expect(md).toMatch(/\| llama-8b \|  \| 12\.0 \|  \| n\/a \[\d\] \|/);
    expect(md).not.toMatch(/\| 0\.0 \|/);
    expect(md).toContain('| gpt-4o | gpt-4o-2024-08-06 | 17.00 | 2.50 | 80.9 |');
    expect(md).toContain('| base | GSM8K | 19.84 | 1319 | evaluated |');
  });

  it('renders one tidy CSV and a JSON document that keep reasons apart from numbers', () => {
    const r = buildReport(input(cells));
    const csv = renderCsv(r).trim().split('\n');
    expect(csv[0]).toBe('table,generator,setting,subject,benchmark,metric,value,note');
    expect(csv).toContain('pgr,gpt-4o,math/instance,,,pgr,60,');
    expect(csv).toContain('pgr,gpt-4o,math/response,,,pgr,,no base-model score on MATH');
    expect(csv).toContain('pgr,llama-8b,math/instance,,,pgr,,train running');
    expect(csv).toContain('pgr,gpt-4o,avg/instance,,,pgr,29,');
    const json = JSON.parse(renderJson(r)) as { table2: { rows: Array<{ generator: string; values: unknown[] }> } };
    expect(json.table2.rows[0]!.values.slice(3, 5)).toEqual([{ value: 29 }, { reason: 'no base-model score on MATH' }]);
    expect(json.table2.rows[1]!.values[0]).toEqual({ status: 'train running' });
  });
});

describe('flagged PGRs and the baselines used (issue 9)', () => {
  const flagged: CellScores = { benchmarks: {}, pgrByBenchmark: {}, pgr: { value: 438, flag: 'GSM8K: PGR 438.0 is above 150' } };
  const cells = [
    cell('gpt-4o', 'math/instance', { scores: flagged }),
    cell('gpt-4o', 'code/instance', { scores: scored(30) }),
    cell('gpt-4o', 'inst/instance', { scores: scored(3) }),
  ];

  it('marks a flagged PGR and the averages over it, with the reason as a note, and says which S_0 and S_ref were used', () => {
    const t = buildTable2(input(cells));
    expect(t.rows[0]!.values[0]).toEqual({ kind: 'value', value: 438, flag: 'GSM8K: PGR 438.0 is above 150' });
    expect(t.rows[0]!.values[3]).toEqual({ kind: 'value', value: 157, flag: 'includes a flagged PGR: math' });
    const md = renderMarkdown(buildReport(input(cells)));
    expect(md).toContain('| gpt-4o | 438.0! [1] | 30.0 | 3.0 | 157.0! [2] |');
    expect(md).toContain('[1] ! GSM8K: PGR 438.0 is above 150');
    expect(md).toContain('[2] ! includes a flagged PGR: math');
    expect(md).toContain("- S_0 (base): checkpoint meta-llama/Llama-3.1-8B, evaluated in agora's harness.");
    expect(md).toContain(
      "- S_ref (reference): the paper's published Llama-3.1-8B-Instruct scores (evaluate.baselines.reference.scores: paper), not evaluated here.",
    );
    expect(md).toContain('harness differences go into PGR');
  });

  it('names cells scored against another reference than the config names now', () => {
    const old: CellScores = {
      ...scored(30),
      baselines: {
        base: { kind: 'evaluated', model: 'checkpoint meta-llama/Llama-3.1-8B' },
        reference: { kind: 'evaluated', model: 'checkpoint meta-llama/Llama-3.1-8B-Instruct' },
      },
    };
    const md = renderMarkdown(buildReport(input([cell('gpt-4o', 'code/instance', { scores: old })])));
    expect(md).toContain(
      '- 1 scored cell used another S_ref than this config names (checkpoint meta-llama/Llama-3.1-8B-Instruct); its PGR stays as scored until scored again.',
    );
    expect(md).not.toContain('another S_0');
  });
});

describe('cell scores', () => {
  it('is the mean of the two benchmarks and names the benchmark whose baseline is missing', () => {
    const s = computeCellScores(
      'code',
      { mbpp: 50, humaneval: 40 },
      (b) => (b === 'mbpp' ? { value: 30 } : { reason: 'no base-model score on HumanEval' }),
      () => ({ value: 70 }),
    );
    expect(s.pgrByBenchmark.mbpp).toEqual({ value: 50 });
    expect(s.pgrByBenchmark.humaneval).toEqual({ reason: 'no base-model score on HumanEval' });
    expect(s.pgr).toEqual({ reason: 'no base-model score on HumanEval' });
    const ok = computeCellScores(
      'code',
      { mbpp: 50, humaneval: 40 },
      () => ({ value: 30 }),
      () => ({ value: 70 }),
    );
    expect(ok.pgr).toEqual({ value: (50 + 25) / 2 });
  });
});
