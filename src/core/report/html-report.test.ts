import { describe, expect, it } from 'vitest';
import type { SettingId } from '../setting.js';
import { renderHtml } from './html-report.js';
import { buildReport } from './render.js';
import type { ReportCell, ReportInput } from './report-model.js';

const SETTINGS: SettingId[] = ['math/instance', 'code/instance'];

function cell(generator: string, setting: SettingId, extra: Partial<ReportCell> = {}): ReportCell {
  return { generator, setting, stage: 'generate', state: 'pending', generationCostUsd: 0, judgeCostUsd: 0, ...extra };
}

function input(cells: ReportCell[], name = 'unit'): ReportInput {
  return {
    name,
    generators: [
      { id: 'g<1>', model: 'm' },
      { id: 'g2', model: 'm2' },
    ],
    settings: SETTINGS,
    cells,
    baselines: { base: {}, reference: {} },
    baselineJudgeCostUsd: 0,
    baselineOrigins: { base: { kind: 'config' }, reference: { kind: 'paper' } },
    paperReference: {},
  };
}

describe('html report page', () => {
  it('says there is nothing to plot yet instead of drawing an empty scatter, and shows every cell of the matrix', () => {
    const html = renderHtml(buildReport(input([cell('g<1>', 'math/instance', { stage: 'train', state: 'running' }), cell('g2', 'math/instance')])));
    expect(html).toContain('No generator has a PGR yet');
    expect(html.match(/<svg /g)).toHaveLength(1);
    // 2 generators x 2 settings: the running cell says so, the pending one is a dot, the two
    // cells the run does not hold are dashes, never zeros.
    expect(html).toMatch(/>running<\/text>/);
    expect(html).toMatch(/>·<\/text>/);
    expect(html.match(/>–<\/text>/g)).toHaveLength(2);
    expect(html).not.toMatch(/>0\.0<\/text>/);
  });

  it('escapes the run name and generator ids everywhere they appear', () => {
    const html = renderHtml(
      buildReport(
        input(
          [cell('g<1>', 'math/instance', { stage: 'score', state: 'done', scores: { benchmarks: {}, pgrByBenchmark: {}, pgr: { value: 10 } } })],
          '<i>x</i>',
        ),
      ),
    );
    expect(html).not.toContain('<i>');
    expect(html).not.toContain('g<1>');
    expect(html).toContain('<title>agora report: &lt;i&gt;x&lt;/i&gt;</title>');
    expect(html).toContain('<b>g&lt;1&gt;</b> · math/instance');
    expect(html).toContain('g&lt;1&gt;: 0.00 USD, PGR 10.0 (1/2 settings)');
  });

  it('keeps a section for the analyses, filled by what is given and never made up', () => {
    const r = buildReport(input([]));
    expect(renderHtml(r)).toMatch(/<section id="analyses"><h2>[^<]*PCA[^<]*<\/h2>\n<p class="pending">Not computed for this run/);
    const given = renderHtml(r, { analyses: [{ id: 'pca', title: 'PCA of the intrinsic metrics', html: '<table><tr><td>PC1</td></tr></table>' }] });
    expect(given).toContain('<section id="pca"><h2>PCA of the intrinsic metrics</h2>\n<table><tr><td>PC1</td></tr></table>');
    expect(given).not.toContain('Not computed for this run');
  });
});
