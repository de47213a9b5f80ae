import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseGeneration } from '../../core/parse/parse-generation.js';
import { renderInstancePrompt, renderQualityPrompt, renderResponsePrompt } from '../../core/prompts/render.js';
import { META_PROMPT_VARIANTS } from '../../core/prompts/types.js';
import { DOMAINS, METHODS } from '../../core/setting.js';
import { defaultPromptsDir } from './paths.js';
import { loadPromptTemplates, promptFile } from './prompt-files.js';

const templates = loadPromptTemplates();
const demos = [
  { instruction: 'DEMO-ONE instruction', response: 'DEMO-ONE response\n[RESULT] 1 [/RESULT]' },
  { instruction: 'DEMO-TWO instruction', response: 'DEMO-TWO response' },
  { instruction: 'DEMO-THREE instruction', response: 'DEMO-THREE response' },
];
const ENDING = { instance: 'INPUT:', response: 'OUTPUT:', quality: 'Revised Question:' } as const;

const cells = META_PROMPT_VARIANTS.flatMap((variant) => METHODS.flatMap((method) => DOMAINS.map((domain) => ({ variant, method, domain }))));

describe('the bundled meta-prompts', () => {
  it.each(cells.map((c) => [`${c.variant}/${c.method}-${c.domain}`, c] as const))('%s renders completely', (_label, { variant, method, domain }) => {
    const p =
      method === 'instance'
        ? renderInstancePrompt({ domain, variant, demos, topic: 'TOPIC-X' }, templates)
        : method === 'response'
          ? renderResponsePrompt({ domain, variant, instruction: 'GIVEN-INSTRUCTION' }, templates)
          : renderQualityPrompt({ domain, variant, item: { instruction: 'GIVEN-INSTRUCTION', response: 'GIVEN-RESPONSE' } }, templates);
    const text = p.messages.map((m) => m.content).join('\n');
    expect(text).not.toMatch(/\{\{|\}\}/);
    if (method === 'instance') {
      expect(text).toContain('TOPIC-X');
      for (const d of demos) expect(text).toContain(variant === 'json' ? JSON.stringify(d.instruction) : d.instruction);
    } else expect(text).toContain('GIVEN-INSTRUCTION');
    if (method === 'quality') expect(text).toContain('GIVEN-RESPONSE');
    if (variant === 'json') {
      expect(p.stop).toEqual([]);
      expect(text).toMatch(/JSON/);
    } else {
      expect(p.stop).toEqual(['[END]']);
      expect(p.messages.at(-1)!.content.endsWith(ENDING[method])).toBe(true);
      expect(text).toContain('[END]');
    }
    if (domain === 'math') expect(text).toContain('[RESULT]');
    if (domain === 'code') expect(text).toContain('```python');
  });

  it('parses a well-behaved reply to each default prompt', () => {
    const reply = { math: 'Steps.\n[RESULT] 7 [/RESULT]', code: '```python\nprint(1)\n```', inst: 'A helpful, complete answer.' };
    for (const domain of DOMAINS) {
      const r = reply[domain];
      expect(parseGeneration({ method: 'instance', domain, variant: 'default', text: ` A brand new task here\nOUTPUT: ${r}` }).ok).toBe(true);
      expect(parseGeneration({ method: 'response', domain, variant: 'default', text: ` ${r}`, source: { instruction: 'x' } }).ok).toBe(true);
      expect(parseGeneration({ method: 'quality', domain, variant: 'default', text: ` A clearer question\nRevised Answer: ${r}` }).ok).toBe(true);
    }
  });
});

describe('loadPromptTemplates', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads only the asked variants', () => {
    const only = loadPromptTemplates(defaultPromptsDir(), { variants: ['json'] });
    expect(Object.keys(only)).toEqual(['json']);
  });

  it('names every missing file and every broken template', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'agora-prompts-'));
    cpSync(defaultPromptsDir(), dir, { recursive: true });
    unlinkSync(promptFile(dir, 'default', 'response', 'code'));
    unlinkSync(promptFile(dir, 'json', 'quality', 'inst'));
    writeFileSync(promptFile(dir, 'unoptimized', 'instance', 'math'), 'No placeholders here.\nINPUT:');
    let message = '';
    try {
      loadPromptTemplates(dir);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`${path.join(dir, 'default', 'response-code.txt')}: missing`);
    expect(message).toContain(`${path.join(dir, 'json', 'quality-inst.txt')}: missing`);
    expect(message).toContain(`${path.join(dir, 'unoptimized', 'instance-math.txt')}: missing placeholder {{demos}}`);
    expect(message).toContain('missing placeholder {{topic}}');
  });
});
