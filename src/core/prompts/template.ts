import type { ChatMessage } from '../ports.js';
import type { Method } from '../setting.js';
import { MARKERS, type MetaPromptVariant } from './types.js';

const PLACEHOLDER = /\{\{\s*([a-z_0-9]+)\s*\}\}/g;
const SECTION = /^<<<(system|user)>>>[ \t]*$/gm;

/** Placeholders each method's template must contain. */
export const TEMPLATE_PLACEHOLDERS: Readonly<Record<Method, readonly string[]>> = {
  instance: ['demos', 'topic'],
  response: ['instruction'],
  quality: ['instruction', 'response'],
};

/**
 * Instance templates may instead place each demo themselves, as the official prompt files
 * do (`{{input1}}`/`{{output1}}` ..), and may ask for a first word (`{{first_word}}`).
 */
const DEMO_SLOTS = ['input1', 'output1', 'input2', 'output2', 'input3', 'output3'] as const;
const OPTIONAL_PLACEHOLDERS: Readonly<Record<Method, readonly string[]>> = {
  instance: ['first_word', ...DEMO_SLOTS],
  response: [],
  quality: [],
};

/** What the delimiter styles' prompts end with, so the model continues in the right slot. */
export const PROMPT_ENDING: Readonly<Record<Method, string>> = {
  instance: MARKERS.input,
  response: MARKERS.output,
  quality: MARKERS.revisedQuestion,
};

export function templatePlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/**
 * Substitutes in one pass, so text inserted for one placeholder (a demo that happens to
 * contain "{{topic}}") is never substituted again.
 */
export function fillTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`template placeholder {{${name}}} has no value`);
    return value;
  });
}

/**
 * A template is one user message unless it is split by `<<<system>>>` / `<<<user>>>` lines.
 * Trailing whitespace is dropped so a prompt really ends with its trigger ("INPUT:").
 */
export function toMessages(text: string): ChatMessage[] {
  const marks = [...text.matchAll(SECTION)];
  if (marks.length === 0) return [{ role: 'user', content: text.trim() }];
  const messages: ChatMessage[] = [];
  marks.forEach((m, i) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = marks[i + 1]?.index ?? text.length;
    const content = text.slice(start, end).trim();
    if (content) messages.push({ role: m[1] as 'system' | 'user', content });
  });
  return messages;
}

/** Problems with a template text, empty when it is usable; the file loader names the file. */
export function checkTemplate(method: Method, variant: MetaPromptVariant, text: string): string[] {
  const problems: string[] = [];
  const found = templatePlaceholders(text);
  const slots = method === 'instance' && DEMO_SLOTS.some((s) => found.includes(s));
  const wanted = slots ? [...DEMO_SLOTS, 'topic'] : TEMPLATE_PLACEHOLDERS[method];
  const allowed = [...TEMPLATE_PLACEHOLDERS[method], ...OPTIONAL_PLACEHOLDERS[method]];
  for (const name of wanted) if (!found.includes(name)) problems.push(`missing placeholder {{${name}}}`);
  for (const name of found)
    if (!allowed.includes(name)) problems.push(`unknown placeholder {{${name}}} (allowed: ${allowed.map((w) => `{{${w}}}`).join(', ')})`);
  if (slots && found.includes('demos')) problems.push('use either {{demos}} or {{input1}}..{{output3}}, not both');
  const before = text.slice(0, text.search(SECTION) === -1 ? 0 : text.search(SECTION)).trim();
  if (before) problems.push('text before the first <<<system>>>/<<<user>>> line');
  const messages = toMessages(text);
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'user') problems.push('the last section must be a user message');
  else if (variant !== 'json' && !last.content.endsWith(PROMPT_ENDING[method])) {
    problems.push(`must end with "${PROMPT_ENDING[method]}" for the model to continue`);
  }
  return problems;
}
