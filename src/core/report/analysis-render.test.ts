import { describe, expect, it } from 'vitest';
import { mlLinearAlgebra } from '../../adapters/analysis/ml-linear-algebra.js';
import { buildAnalysis } from '../analysis/run-analysis.js';
import { renderHtml } from './html-report.js';
import { buildReport, renderCsv, renderJson, renderMarkdown } from './render.js';
import type { ReportInput } from './report-model.js';
import { fixed } from './svg-pca.js';

const base: ReportInput = {
  name: 'unit',
  generators: [{ id: 'g1', model: 'm' }],
  settings: ['math/instance'],
  cells: [],
  baselines: { base: {}, reference: {} },
  baselineJudgeCostUsd: 0,
  baselineOrigins: { base: { kind: 'config' }, reference: { kind: 'paper' } },
  paperReference: {},
};

// Three cells, judge 1, 2, 3 against PGR 2, 4, 7: slope 2.5, R² = 112.5 / 114 = 0.987 (by hand, see run-analysis.test.ts).
const cells = [1, 2, 3].map((i) => ({ cellId: i, generator: `g${i}`, setting: 'math/instance', pgr: { value: [2, 4, 7][i - 1]! } }));
const summaries = cells.map((c, i) => ({
  cellId: c.cellId,
  generator: c.generator,
  setting: c.setting,
  values: { 'quality.judge': i + 1 },
  counts: { 'quality.judge': 4 },
}));
const three = buildAnalysis({ cells, summaries, problemSolving: new Map() }, mlLinearAlgebra);
const one = buildAnalysis({ cells: cells.slice(0, 1), summaries: summaries.slice(0, 1), problemSolving: new Map() }, mlLinearAlgebra);

describe('the analyses in the md, csv and json reports', () => {
  it('prints the metric table, the PCA and the regressions in markdown', () => {
    const md = renderMarkdown(buildReport({ ...base, analysis: three }));
    expect(md).toContain('## Analyses: what makes a good data generator');
    expect(md).toContain('| g3 | math/instance | 3.00 | 7.0 | yes |');
    expect(md).toContain('| PC1 | 100.0 | 100.0 | 1.000 |');
    expect(md).toMatch(/\| Quality \(judge\) \| 2\.500 \| [\d.]+ \| [\d.]+ \| 0\.987 \| 0\.974 \| 3 \|  \|/);
    expect(md).toContain(
      "### PGR against the generator's own problem-solving score\n\nNot computed: no generator has a problem-solving score (evaluate.problemSolving).",
    );
  });

  it('says each table is empty, once, on a run with neither metrics nor PGRs', () => {
    const md = renderMarkdown(buildReport({ ...base, analysis: buildAnalysis({ cells: [], summaries: [], problemSolving: new Map() }, mlLinearAlgebra) }));
    expect(md).toContain('### Intrinsic metrics per cell (Table 8)\n\nNot computed: no cell has intrinsic metrics or a PGR yet.\n');
    expect(md).toContain('### PCA of the intrinsic metrics\n\nNot computed: no intrinsic metrics computed in any cell.\n');
  });

  it('says which statistic has too few cells instead of printing one', () => {
    const md = renderMarkdown(buildReport({ ...base, analysis: one }));
    expect(md).toContain('### PCA of the intrinsic metrics\n\nNot computed: not enough cells (1 of at least 2).');
    expect(md).toContain('| Quality (judge) | n/a |  |  |  |  |  | not enough cells (1 of at least 3) |');
    expect(renderHtml(buildReport({ ...base, analysis: one }))).toContain('<p class="pending">Not computed: not enough cells (1 of at least 2).</p>');
  });

  it('has a csv row per statistic and the model in json', () => {
    const csv = renderCsv(buildReport({ ...base, analysis: three }));
    expect(csv).toContain('intrinsic,g2,math/instance,,,quality.judge,2,');
    expect(csv).toContain('pca,,,PC1,,explained_variance,1,');
    expect(csv).toMatch(/regression,,,quality\.judge,,coef:quality\.judge,2\.5\d*,/);
    expect(renderCsv(buildReport({ ...base, analysis: one }))).toContain('pca,,,,,explained_variance,,not enough cells (1 of at least 2)');
    const json = JSON.parse(renderJson(buildReport({ ...base, analysis: three }))) as { analysis: { used: number; metrics: string[] } };
    expect(json.analysis).toMatchObject({ used: 3, metrics: ['quality.judge'] });
  });
});

describe('loadings that round to zero', () => {
  it('print without a minus sign', () => {
    expect([fixed(-0.0004, 3), fixed(-0.004, 2), fixed(-0.0051, 2), fixed(0, 1)]).toEqual(['0.000', '0.00', '-0.01', '0.0']);
  });
});

describe('the analyses in the html report', () => {
  it('escapes generator ids and reasons in the tables, the charts and the drill-down', () => {
    const hostile = '<img onerror=x>';
    const cs = cells.map((c, i) => ({ ...c, generator: i === 0 ? hostile : c.generator }));
    const ss = summaries.map((x, i) => ({ ...x, generator: cs[i]!.generator }));
    const a = buildAnalysis(
      {
        cells: cs,
        summaries: ss,
        problemSolving: new Map([
          [hostile, 50],
          ['g2', 60],
          ['g3', 70],
        ]),
      },
      mlLinearAlgebra,
    );
    const html = renderHtml(
      buildReport({
        ...base,
        generators: cs.map((c) => ({ id: c.generator, model: 'm' })),
        cells: cs.map((c) => ({ generator: c.generator, setting: 'math/instance', stage: 'score', state: 'done', generationCostUsd: 0, judgeCostUsd: 0 })),
        analysis: a,
      }),
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('<td>&lt;img onerror=x&gt;</td><td>math/instance</td><td class="num">1.00</td>');
    expect(html).toContain('&lt;img onerror=x&gt;: problem solving 50.0');
    expect(html).toMatch(/<svg [^>]*class="chart bars"/);
    expect(html).toMatch(/<svg [^>]*class="chart loadings"/);
  });
});
