import { describe, expect, it } from 'vitest';
import { cellSettings, metaPromptVariants } from './run-config.js';
import { parseSetting, variantSetting } from './setting.js';
import { sweepConfigSchema } from '../config/schema.js';

describe('the meta-prompt ablation as a dimension of the sweep', () => {
  it('reads a cell setting with and without its variant', () => {
    expect(parseSetting('math/instance')).toEqual({ id: 'math/instance', domain: 'math', method: 'instance' });
    expect(parseSetting('code/quality@json')).toEqual({ id: 'code/quality', domain: 'code', method: 'quality', variant: 'json' });
    expect(variantSetting('inst/response', undefined)).toBe('inst/response');
    expect(variantSetting('inst/response', 'unoptimized')).toBe('inst/response@unoptimized');
  });

  it('makes one cell per setting for one choice, and one more per setting for each further variant of a list', () => {
    expect(cellSettings({ settings: ['math/instance', 'code/response'], metaPrompt: 'json' })).toEqual(['math/instance', 'code/response']);
    expect(cellSettings({ settings: ['math/instance', 'code/response'], metaPrompt: ['default', 'json', 'unoptimized'] })).toEqual([
      'math/instance',
      'code/response',
      'math/instance@json',
      'code/response@json',
      'math/instance@unoptimized',
      'code/response@unoptimized',
    ]);
    expect(metaPromptVariants('official')).toEqual(['official']);
  });

  const base = {
    name: 'x',
    instancesPerCell: 2,
    budget: { usd: 1 },
    generators: [{ id: 'g', provider: 'openai', model: 'm', price: { input: 1, output: 1 } }],
    settings: ['math/instance'],
  };

  it('takes a list in the config, and names a variant listed twice', () => {
    expect(sweepConfigSchema.parse({ ...base, metaPrompt: ['default', 'json'] }).metaPrompt).toEqual(['default', 'json']);
    expect(sweepConfigSchema.parse(base).metaPrompt).toBe('default');
    const twice = sweepConfigSchema.safeParse({ ...base, metaPrompt: ['default', 'json', 'json'] });
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]).toMatchObject({ path: ['metaPrompt', 2], message: '"json" is listed twice' });
    expect(sweepConfigSchema.safeParse({ ...base, metaPrompt: [] }).success).toBe(false);
    expect(sweepConfigSchema.safeParse({ ...base, metaPrompt: ['default', 'fancy'] }).success).toBe(false);
  });
});
