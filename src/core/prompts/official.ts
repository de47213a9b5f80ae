import type { Domain, Method } from '../setting.js';

/**
 * The official repository's prompt files, read from a local copy or downloaded at a pinned
 * commit (`agora prompts fetch`) so that a run can use the exact published prompts; nothing
 * of them is bundled with agora.
 */
export const OFFICIAL_REPO = 'neulab/data-agora';
export const OFFICIAL_COMMIT = '1ed3ec24e4ec05af12a55fa9654dd755701ec6ce';
export const OFFICIAL_PROMPTS_PATH = 'agora_scripts/prompts';

const METHOD_NAMES: Readonly<Record<Method, string>> = {
  instance: 'instance_generation',
  response: 'response_generation',
  quality: 'quality_enhancement',
};
const DOMAIN_NAMES: Readonly<Record<Domain, string>> = { math: 'math', code: 'code', inst: 'general' };

/** `instance_generation_general_prompt.txt` for instance/inst. */
export function officialPromptFileName(method: Method, domain: Domain): string {
  return `${METHOD_NAMES[method]}_${DOMAIN_NAMES[domain]}_prompt.txt`;
}

/**
 * The official placeholders and agora's: demos one by one, the theme, the first word, and
 * the given instruction/response. Only these are mapped; other angle-bracket text in the
 * files (an illustration of the answer layout) stays as it is.
 */
const PLACEHOLDER_MAP: Readonly<Record<string, string>> = {
  '<input1>': '{{input1}}',
  '<output1>': '{{output1}}',
  '<input2>': '{{input2}}',
  '<output2>': '{{output2}}',
  '<input3>': '{{input3}}',
  '<output3>': '{{output3}}',
  '<input_theme>': '{{topic}}',
  '<first_word>': '{{first_word}}',
  '<input>': '{{instruction}}',
  '<output>': '{{response}}',
};
const OFFICIAL_PLACEHOLDER = /<(?:input[123]?|output[123]?|input_theme|first_word)>/g;

/**
 * An official prompt file as an agora template. Text that agora's template syntax would
 * read (`{{name}}`, a `<<<system>>>` line) is refused rather than misread. The file's own
 * ending ("INPUT: ", "Revised Question: ") is where the model continues, as in the official
 * code, and its stop phrase [END] is agora's.
 */
export function fromOfficialTemplate(text: string): { template: string; problems: string[] } {
  const problems: string[] = [];
  if (/\{\{\s*[a-z_0-9]+\s*\}\}/.test(text)) problems.push('contains "{{name}}" text, which agora would read as its own placeholder');
  if (/^<<<(system|user)>>>/m.test(text)) problems.push('contains a <<<system>>>/<<<user>>> line');
  const template = text.replace(OFFICIAL_PLACEHOLDER, (p) => PLACEHOLDER_MAP[p] ?? p).replace(/\r\n?/g, '\n');
  return { template, problems };
}
