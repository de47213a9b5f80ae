import type { Domain, Method } from '../setting.js';
import { withSystemMessage } from './system-message.js';
import { fillTemplate, toMessages } from './template.js';
import { MARKERS, type Demo, type MetaPromptVariant, type PromptTemplates, type RenderedPrompt, type SeedItem } from './types.js';

// Callers build a prompt from picks and a renderer; re-exported so one import serves both.
export { pickDemos, pickFirstWord, pickTopic } from './pick.js';

export interface InstancePromptInput {
  readonly domain: Domain;
  readonly variant: MetaPromptVariant;
  readonly demos: readonly Demo[];
  readonly topic: string;
  /** The word(s) the new instruction should start with, for templates that ask for one. */
  readonly firstWord?: string;
}

export interface ResponsePromptInput {
  readonly domain: Domain;
  readonly variant: MetaPromptVariant;
  readonly instruction: string;
}

export interface QualityPromptInput {
  readonly domain: Domain;
  readonly variant: MetaPromptVariant;
  readonly item: SeedItem;
}

export function renderInstancePrompt(input: InstancePromptInput, templates: PromptTemplates): RenderedPrompt {
  if (input.demos.length === 0) throw new Error('instance generation needs at least one demo');
  input.demos.forEach((d, i) => {
    if (typeof d.response !== 'string') throw new Error(`demo ${i + 1} has no response`);
  });
  const slots: Record<string, string> = {};
  // Templates that place each demo themselves get them one by one, trimmed as formatDemos does.
  for (let i = 0; i < 3; i++) {
    slots[`input${i + 1}`] = input.demos[i]?.instruction.trim() ?? '';
    slots[`output${i + 1}`] = input.demos[i]?.response.trim() ?? '';
  }
  const text = fillTemplate(templateFor(templates, input.variant, 'instance', input.domain), {
    ...slots,
    demos: formatDemos(input.variant, input.demos),
    topic: input.topic.trim(),
    first_word: (input.firstWord ?? '').trim(),
  });
  return finish(text, input.variant);
}

export function renderResponsePrompt(input: ResponsePromptInput, templates: PromptTemplates): RenderedPrompt {
  const text = fillTemplate(templateFor(templates, input.variant, 'response', input.domain), {
    instruction: value(input.variant, input.instruction),
  });
  return finish(text, input.variant);
}

export function renderQualityPrompt(input: QualityPromptInput, templates: PromptTemplates): RenderedPrompt {
  const { response } = input.item;
  if (typeof response !== 'string') throw new Error('quality enhancement needs seed items with a response');
  const text = fillTemplate(templateFor(templates, input.variant, 'quality', input.domain), {
    instruction: value(input.variant, input.item.instruction),
    response: value(input.variant, response),
  });
  return finish(text, input.variant);
}

/**
 * Demos as the reference implementation wrote them: numbered INPUT/OUTPUT blocks closed by
 * [END]; the JSON variant shows each demo as the JSON object the model is asked to write.
 */
export function formatDemos(variant: MetaPromptVariant, demos: readonly Demo[]): string {
  return demos
    .map((d, i) => {
      const n = i + 1;
      if (variant === 'json') return `Example ${n}: ${JSON.stringify({ instruction: d.instruction.trim(), response: d.response.trim() })}`;
      const header = variant === 'default' ? `[EXAMPLE ${n}]` : `Example ${n}:`;
      return `${header}\n${MARKERS.input} ${d.instruction.trim()}\n${MARKERS.output} ${d.response.trim()}\n${MARKERS.end}`;
    })
    .join('\n\n');
}

export function stopSequences(variant: MetaPromptVariant): string[] {
  return variant === 'json' ? [] : [MARKERS.end];
}

/** In the JSON variant given texts appear as JSON string literals, inside JSON-shaped examples. */
function value(variant: MetaPromptVariant, text: string): string {
  return variant === 'json' ? JSON.stringify(text.trim()) : text.trim();
}

function templateFor(templates: PromptTemplates, variant: MetaPromptVariant, method: Method, domain: Domain): string {
  const text = templates[variant]?.[method]?.[domain];
  if (typeof text !== 'string') throw new Error(`no meta-prompt template for ${variant}/${method}-${domain}`);
  return text;
}

function finish(text: string, variant: MetaPromptVariant): RenderedPrompt {
  return { messages: withSystemMessage(toMessages(text)), stop: stopSequences(variant) };
}
