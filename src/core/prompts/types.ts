import type { ChatMessage } from '../ports.js';
import type { Domain, Method } from '../setting.js';

/** One seed row: an instruction, and for instance generation and quality enhancement its response. */
export interface SeedItem {
  readonly instruction: string;
  readonly response?: string;
}

/** A demonstration shown in an instance-generation prompt: always has a response. */
export interface Demo {
  readonly instruction: string;
  readonly response: string;
}

/** The paper's Table 5 ablation: its default delimiter style, a JSON format, and a plainer prompt. */
export const META_PROMPT_VARIANTS = ['default', 'json', 'unoptimized'] as const;
export type MetaPromptVariant = (typeof META_PROMPT_VARIANTS)[number];

/** Template text for every method x domain of one variant. */
export type VariantTemplates = Readonly<Record<Method, Readonly<Record<Domain, string>>>>;

/** Template texts by variant; a variant may be absent when only some were loaded. */
export type PromptTemplates = Readonly<Partial<Record<MetaPromptVariant, VariantTemplates>>>;

export interface RenderedPrompt {
  readonly messages: ChatMessage[];
  /** Stop sequences to send with the request (`[END]` for the delimiter styles, none for JSON). */
  readonly stop: string[];
  readonly maxTokens?: number;
}

/** The delimiters of the default and unoptimized styles (the reference implementation's). */
export const MARKERS = {
  input: 'INPUT:',
  output: 'OUTPUT:',
  end: '[END]',
  revisedQuestion: 'Revised Question:',
  revisedAnswer: 'Revised Answer:',
  resultOpen: '[RESULT]',
  resultClose: '[/RESULT]',
} as const;
