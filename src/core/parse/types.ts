import type { CompletionResult } from '../ports.js';
import type { MetaPromptVariant, SeedItem } from '../prompts/types.js';
import type { Domain, Method } from '../setting.js';

/** Short stable codes: stored with each rejected attempt and counted on the dashboard. */
export const PARSE_FAILURE_REASONS = [
  'truncated',
  'empty-output',
  'no-output-marker',
  'bad-json',
  'empty-instruction',
  'empty-response',
  'too-short',
  'too-long',
  'leaked-marker',
  'echoes-demo',
  'missing-result-tag',
  'multiple-result-tags',
  'empty-result',
  'text-after-result',
  'no-code-block',
  'unclosed-code-block',
  'multiple-code-blocks',
  'text-outside-code',
  'not-python',
  'unsupported-language',
] as const;
export type ParseFailureReason = (typeof PARSE_FAILURE_REASONS)[number];

export interface GeneratedInstance {
  readonly instruction: string;
  readonly response: string;
}

export type ParseResult =
  { readonly ok: true; readonly instance: GeneratedInstance } | { readonly ok: false; readonly reason: ParseFailureReason; readonly detail: string };

/** What the prompt was built from: needed to complete or check the model's answer. */
export interface ParseSource {
  /** Response generation: the given instruction, which becomes the instance's instruction. */
  readonly instruction?: string;
  readonly response?: string;
  /** Instance generation: the demos shown, so that a copied demo is rejected. */
  readonly demos?: readonly SeedItem[];
}

export interface ParseLimits {
  /** Instruction plus response, in characters: about the paper's 4,096-token training length. */
  readonly maxChars: number;
  readonly minInstructionChars: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxChars: 16_000, minInstructionChars: 8 };

export interface ParseInput {
  readonly method: Method;
  readonly domain: Domain;
  readonly variant: MetaPromptVariant;
  /** The model's reply, without the prompt (stop sequences are usually already stripped). */
  readonly text: string;
  readonly finishReason?: CompletionResult['finishReason'];
  readonly source?: ParseSource;
  readonly limits?: Partial<ParseLimits>;
}

export function fail(reason: ParseFailureReason, detail: string): ParseResult {
  return { ok: false, reason, detail };
}
