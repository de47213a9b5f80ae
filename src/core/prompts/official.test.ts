import { describe, expect, it } from 'vitest';
import { fromOfficialTemplate, officialPromptFileName } from './official.js';
import { checkTemplate } from './template.js';

describe('official prompt files', () => {
  it('names the files as the official repository does', () => {
    expect(officialPromptFileName('instance', 'inst')).toBe('instance_generation_general_prompt.txt');
    expect(officialPromptFileName('quality', 'code')).toBe('quality_enhancement_code_prompt.txt');
    expect(officialPromptFileName('response', 'math')).toBe('response_generation_math_prompt.txt');
  });

  it('maps the official placeholders onto agora templates and keeps other angle-bracket text', () => {
    const { template, problems } = fromOfficialTemplate(
      'Theme <input_theme>, start "<first_word>".\nINPUT: <input1>\nOUTPUT: <output1>\n[END]\nINPUT: <input2>\nOUTPUT: <output2>\nINPUT: <input3>\nOUTPUT: <output3>\nLayout: <revised_answer>\nINPUT: ',
    );
    expect(problems).toEqual([]);
    expect(template).toContain('Theme {{topic}}, start "{{first_word}}"');
    expect(template).toContain('Layout: <revised_answer>');
    expect(checkTemplate('instance', 'default', template)).toEqual([]);
    const qe = fromOfficialTemplate('Question: <input>\nAnswer: <output>\n\nRevised Question: ').template;
    expect(checkTemplate('quality', 'default', qe)).toEqual([]);
  });

  it('refuses text agora would misread', () => {
    expect(fromOfficialTemplate('a {{topic}} b').problems[0]).toMatch(/placeholder/);
  });
});
