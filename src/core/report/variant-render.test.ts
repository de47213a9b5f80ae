import { describe, expect, it } from 'vitest';
import { buildAblationTable } from './ablation-table.js';
import { buildFixedBudgetTable } from './fixed-budget-table.js';
import type { ReportCell } from './report-model.js';
import type { SettingId } from '../setting.js';
import { variantsCsv, variantsMarkdown } from './variant-render.js';
import { variantsHtml } from './variant-html.js';

function cell(generator: string, setting: string, pgr: number | undefined, accepted: number, cost = 0): ReportCell {
  return {
    generator,
    setting: setting as SettingId,
    stage: 'score',
    state: 'done',
    generationCostUsd: cost,
    judgeCostUsd: 0,
    generated: { accepted, target: accepted, dropped: 0 },
    ...(pgr !== undefined && { scores: { benchmarks: {}, pgrByBenchmark: {}, pgr: { value: pgr } } }),
  };
}

const generators = [{ id: '<b>g</b>' }];
const settings = ['math/instance'];
const cells = [cell('<b>g</b>', 'math/instance', 40, 10, 1), cell('<b>g</b>', 'math/instance@json', 25, 10), cell('<b>g</b>', 'math/instance@usd5', 38, 10)];
const ablation = buildAblationTable({ generators, settings, cells, metaPrompts: ['default', 'json'] });
const budget = buildFixedBudgetTable({ generators, settings, cells, budgetsUsd: [5] });

describe('the ablation and fixed-budget tables as the report prints them', () => {
  it('prints both in markdown, the floor marked', () => {
    const md = variantsMarkdown(ablation, budget).join('\n');
    expect(md).toContain('## Table 5: meta-prompt ablation (PGR %)');
    expect(md).toMatch(/\| <b>g<\/b> +\| json +\| +25\.0 \|/);
    expect(md).toContain('## Fixed budget: what a dollar amount buys (Figure 7)');
    // $5 at $0.10 an instance buys 50; the cell holds 10.
    expect(md).toMatch(/\| 5 +\| <b>g<\/b> +\| +38\.0 \| +≥10\/10 \|/);
    expect(variantsMarkdown(undefined, undefined)).toEqual([]);
  });

  it('escapes ids in html and gives csv a row per number', () => {
    const html = variantsHtml(ablation, budget);
    expect(html).toContain('&lt;b&gt;g&lt;/b&gt;');
    expect(html).not.toContain('<b>g</b>');
    expect(html).toContain('≥10/10');
    const rows: string[][] = [];
    variantsCsv(ablation, budget, (table, generator, setting, _s, _b, metric, v) =>
      rows.push([table, generator, setting, metric, v.kind === 'value' ? String(v.value) : '']),
    );
    expect(rows).toContainEqual(['ablation', '<b>g</b>', 'math/instance@json', 'pgr', '25']);
    expect(rows).toContainEqual(['fixed_budget', '<b>g</b>', 'math/instance@usd5', 'instances', '10']);
    expect(rows).toContainEqual(['fixed_budget', '<b>g</b>', 'math/instance@usd5', 'floor', '1']);
  });
});
