import { describe, expect, it } from 'vitest';
import { formatDemos, renderInstancePrompt, renderQualityPrompt, renderResponsePrompt } from './render.js';
import { checkTemplate, fillTemplate, toMessages } from './template.js';
import { GENERATION_SYSTEM_MESSAGE } from './system-message.js';
import type { PromptTemplates, VariantTemplates } from './types.js';

const variant = (tag: string): VariantTemplates => ({
  instance: {
    math: `${tag} math about "{{topic}}".\n\n{{demos}}\n\n[NEW INSTANCE]\nINPUT:`,
    code: `<<<system>>>\nYou write Python.\n<<<user>>>\n${tag} code on {{topic}}\n{{demos}}\nINPUT:\n`,
    inst: `${tag} inst {{topic}}\n{{demos}}\nINPUT:`,
  },
  response: {
    math: `${tag} solve\nINPUT:\n{{instruction}}\n\nOUTPUT:`,
    code: `${tag} code\n{{instruction}}\nOUTPUT:`,
    inst: `${tag} inst\n{{instruction}}\nOUTPUT:`,
  },
  quality: {
    math: `${tag} improve\nQuestion: {{instruction}}\nAnswer: {{response}}\nRevised Question:`,
    code: `${tag} q {{instruction}} a {{response}}\nRevised Question:`,
    inst: `${tag} q {{instruction}} a {{response}}\nRevised Question:`,
  },
});
const templates: PromptTemplates = { default: variant('D'), unoptimized: variant('U'), json: variant('J') };
const demos = [
  { instruction: 'Q1 mentions {{topic}} literally', response: 'A1\n[RESULT] 1 [/RESULT]' },
  { instruction: '  Q2  ', response: ' A2 ' },
  { instruction: 'Q3 "quoted"', response: 'A3' },
];

describe('instance prompts', () => {
  it('shows numbered INPUT/OUTPUT demos closed by [END], the topic, and ends with INPUT:', () => {
    const p = renderInstancePrompt({ domain: 'math', variant: 'default', demos, topic: 'modular arithmetic' }, templates);
    expect(p.stop).toEqual(['[END]']);
    expect(p.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(p.messages[0]!.content).toBe(GENERATION_SYSTEM_MESSAGE);
    const text = p.messages.at(-1)!.content;
    expect(text).toContain('math about "modular arithmetic"');
    expect(text).toContain('[EXAMPLE 1]\nINPUT: Q1 mentions {{topic}} literally\nOUTPUT: A1\n[RESULT] 1 [/RESULT]\n[END]');
    expect(text).toContain('[EXAMPLE 2]\nINPUT: Q2\nOUTPUT: A2\n[END]');
    expect(text.indexOf('[EXAMPLE 1]')).toBeLessThan(text.indexOf('[EXAMPLE 3]'));
    expect(text.endsWith('[NEW INSTANCE]\nINPUT:')).toBe(true);
    expect(p.messages.at(-1)!.role).toBe('user');
  });

  it('splits system and user sections', () => {
    const p = renderInstancePrompt({ domain: 'code', variant: 'default', demos, topic: 'recursion' }, templates);
    expect(p.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(p.messages[0]!.content).toBe('You write Python.');
    expect(p.messages[1]!.content.endsWith('INPUT:')).toBe(true);
  });

  it('writes demos as JSON objects in the JSON variant, without a stop sequence', () => {
    const p = renderInstancePrompt({ domain: 'math', variant: 'json', demos, topic: 't' }, templates);
    expect(p.stop).toEqual([]);
    const line = p.messages
      .at(-1)!
      .content.split('\n')
      .find((l) => l.startsWith('Example 3: '))!;
    expect(JSON.parse(line.slice('Example 3: '.length))).toEqual({ instruction: 'Q3 "quoted"', response: 'A3' });
  });

  it('uses plain headers in the unoptimized variant', () => {
    const text = formatDemos('unoptimized', demos.slice(0, 1));
    expect(text).toBe('Example 1:\nINPUT: Q1 mentions {{topic}} literally\nOUTPUT: A1\n[RESULT] 1 [/RESULT]\n[END]');
  });

  it('refuses an empty demo list and a missing template', () => {
    expect(() => renderInstancePrompt({ domain: 'math', variant: 'default', demos: [], topic: 't' }, templates)).toThrow(/demo/);
    expect(() => renderInstancePrompt({ domain: 'math', variant: 'json', demos, topic: 't' }, { default: variant('D') })).toThrow(/json\/instance-math/);
  });
});

describe('response and quality prompts', () => {
  it('puts the instruction in and ends with OUTPUT:', () => {
    const p = renderResponsePrompt({ domain: 'math', variant: 'default', instruction: '  What is 2+2?\n' }, templates);
    expect(p.messages.at(-1)!.content).toBe('D solve\nINPUT:\nWhat is 2+2?\n\nOUTPUT:');
    expect(p.stop).toEqual(['[END]']);
  });

  it('shows the pair and ends with Revised Question:', () => {
    const p = renderQualityPrompt({ domain: 'math', variant: 'unoptimized', item: { instruction: 'q?', response: 'a.' } }, templates);
    expect(p.messages.at(-1)!.content).toBe('U improve\nQuestion: q?\nAnswer: a.\nRevised Question:');
  });

  it('JSON-encodes given texts in the JSON variant', () => {
    const p = renderQualityPrompt({ domain: 'math', variant: 'json', item: { instruction: 'say "hi"\n', response: 'hi' } }, templates);
    expect(p.messages.at(-1)!.content).toContain('Question: "say \\"hi\\""\nAnswer: "hi"');
  });

  it('needs a response for quality enhancement', () => {
    expect(() => renderQualityPrompt({ domain: 'inst', variant: 'default', item: { instruction: 'q' } }, templates)).toThrow(/response/);
  });
});

describe('templates', () => {
  it('fills in one pass and rejects unknown placeholders', () => {
    expect(fillTemplate('{{a}} {{ b }}', { a: '{{b}}', b: 'x' })).toBe('{{b}} x');
    expect(() => fillTemplate('{{nope}}', {})).toThrow(/nope/);
  });

  it('reads sections', () => {
    expect(toMessages('just user\n')).toEqual([{ role: 'user', content: 'just user' }]);
    expect(toMessages('<<<system>>>\ns\n<<<user>>>\nu')).toEqual([
      { role: 'system', content: 's' },
      { role: 'user', content: 'u' },
    ]);
  });

  it('reports placeholder, section and ending problems', () => {
    expect(checkTemplate('instance', 'default', '{{demos}} {{topic}}\nINPUT:')).toEqual([]);
    expect(checkTemplate('instance', 'default', '{{demos}}\nINPUT:')).toEqual(['missing placeholder {{topic}}']);
    expect(
      checkTemplate('instance', 'default', '{{topic}} {{first_word}} {{input1}} {{output1}} {{input2}} {{output2}} {{input3}} {{output3}}\nINPUT:'),
    ).toEqual([]);
    expect(checkTemplate('instance', 'default', '{{topic}} {{input1}} {{output1}}\nINPUT:')).toContain('missing placeholder {{input2}}');
    expect(checkTemplate('response', 'default', '{{instruction}} {{topic}}\nOUTPUT:')[0]).toMatch(/unknown placeholder \{\{topic\}\}/);
    expect(checkTemplate('quality', 'default', '{{instruction}} {{response}}\nOUTPUT:')).toEqual([
      'must end with "Revised Question:" for the model to continue',
    ]);
    expect(checkTemplate('quality', 'json', '{{instruction}} {{response}}\nImproved pair:')).toEqual([]);
    expect(checkTemplate('response', 'default', 'hello\n<<<user>>>\n{{instruction}}\nOUTPUT:')).toContain('text before the first <<<system>>>/<<<user>>> line');
    expect(checkTemplate('response', 'default', '<<<user>>>\n{{instruction}}\nOUTPUT:\n<<<system>>>\nsys')).toContain(
      'the last section must be a user message',
    );
  });
});
