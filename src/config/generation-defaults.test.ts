import { describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support/temp-run.js';
import { sweepConfigSchema } from './schema.js';

describe('generation defaults as in the official code', () => {
  it('allows 4,096 generated tokens by default, sampling at temperature 1.0 and top-p 0.9', () => {
    const g = testConfig().generation;
    expect(g.maxTokens).toBe(4096);
    expect(g.temperature).toBe(1);
    expect(g.topP).toBe(0.9);
    expect(g.attemptsPerItem).toBe(10);
  });

  it('takes metaPrompt: official with a folder or a commit of the official prompt files, and checks them', () => {
    const c = testConfig({ metaPrompt: 'official', officialPrompts: { dir: './data-agora/agora_scripts/prompts' } });
    expect(c.metaPrompt).toBe('official');
    expect(c.officialPrompts?.dir).toBe('./data-agora/agora_scripts/prompts');
    const base = { ...testConfig(), metaPrompt: 'official' };
    expect(sweepConfigSchema.safeParse({ ...base, officialPrompts: { commit: 'not a hash' } }).success).toBe(false);
    expect(sweepConfigSchema.safeParse({ ...base, officialPrompts: { path: 'x' } }).success).toBe(false);
    expect(sweepConfigSchema.safeParse({ ...base, metaPrompt: 'paper' }).success).toBe(false);
  });
});
