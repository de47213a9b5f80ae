import { MARKERS, type SeedItem } from '../prompts/types.js';
import type { Domain, Method } from '../setting.js';
import { checkCodeResponse } from './code-block.js';
import { instructionKey } from './instruction-key.js';
import { checkResultTag } from './math-answer.js';
import { DEFAULT_PARSE_LIMITS, fail, type GeneratedInstance, type ParseLimits, type ParseResult } from './types.js';

export interface ValidateOptions {
  readonly method: Method;
  readonly domain: Domain;
  /** The delimiter styles also reject their own markers inside the texts. */
  readonly delimited: boolean;
  readonly demos?: readonly SeedItem[];
  readonly limits?: Partial<ParseLimits>;
}

/**
 * Checks shared by all methods, then the domain's convention: math ends with one
 * `[RESULT] ... [/RESULT]`, code is exactly one Python block (normalised to ```python),
 * instruction following needs a non-trivial answer.
 */
export function validateInstance(instance: GeneratedInstance, opts: ValidateOptions): ParseResult {
  const limits = { ...DEFAULT_PARSE_LIMITS, ...opts.limits };
  const instruction = instance.instruction.trim();
  const response = instance.response.trim();
  if (!instruction) return fail('empty-instruction', 'the instruction is empty');
  if (!response) return fail('empty-response', 'the response is empty');
  // Response generation's instruction is given, not generated: only the reply is checked.
  const own = opts.method !== 'response';
  if (opts.delimited) {
    const leak = leakedMarker(own ? instruction : '', response, opts.domain);
    if (leak) return fail('leaked-marker', leak);
  }
  if (own && instruction.replace(/\s/g, '').length < limits.minInstructionChars) {
    return fail('too-short', `instruction shorter than ${limits.minInstructionChars} characters`);
  }
  const size = instruction.length + response.length;
  if (size > limits.maxChars) return fail('too-long', `${size} characters, limit ${limits.maxChars}`);
  if (opts.method === 'instance' && opts.demos) {
    const key = instructionKey(instruction);
    const i = opts.demos.findIndex((d) => instructionKey(d.instruction) === key);
    if (i !== -1) return fail('echoes-demo', `the instruction repeats demo ${i + 1}`);
  }
  switch (opts.domain) {
    case 'math': {
      const problem = checkResultTag(response);
      return problem ? fail(problem.reason, problem.detail) : ok(instruction, response);
    }
    case 'code': {
      const check = checkCodeResponse(response);
      return check.ok ? ok(instruction, check.normalized) : fail(check.reason, check.detail);
    }
    case 'inst': {
      const alnum = response.replace(/[^\p{L}\p{N}]/gu, '').length;
      return alnum < 5 ? fail('too-short', 'the response is trivially short') : ok(instruction, response);
    }
  }
}

function leakedMarker(instruction: string, response: string, domain: Domain): string | undefined {
  const lineStart = (text: string, marker: string) => new RegExp(`(^|\\n)[ \\t]*(\\*\\*)?${marker}`).test(text);
  const template = /\[(EXAMPLE \d+|NEW INSTANCE)\]/;
  if (lineStart(instruction, MARKERS.output) || lineStart(instruction, MARKERS.input)) return 'the instruction contains an INPUT:/OUTPUT: marker';
  if (lineStart(response, MARKERS.input) || lineStart(response, MARKERS.output)) return 'the response contains an INPUT:/OUTPUT: marker (a second instance?)';
  if (/revised (question|answer):/i.test(response)) return 'the response contains a Revised Question/Answer marker (a second pair?)';
  if (template.test(instruction) || template.test(response)) return 'the text contains an [EXAMPLE n] or [NEW INSTANCE] header';
  if (instruction.includes(MARKERS.end) || response.includes(MARKERS.end)) return 'the text contains [END]';
  if (domain === 'math' && instruction.includes(MARKERS.resultOpen)) return 'the instruction contains [RESULT]';
  return undefined;
}

function ok(instruction: string, response: string): ParseResult {
  return { ok: true, instance: { instruction, response } };
}
