import { extractDelimited, extractJson } from './extract.js';
import { isTruncated } from './instruction-key.js';
import { fail, type ParseInput, type ParseResult } from './types.js';
import { validateInstance } from './validate.js';

/**
 * Turns one generator reply into an instance, or a stable reason code for rejecting it.
 * Response generation keeps the given instruction (`source.instruction`); quality
 * enhancement takes the revised question and answer from the reply.
 */
export function parseGeneration(input: ParseInput): ParseResult {
  const { method, variant, text } = input;
  if (isTruncated(input.finishReason)) return fail('truncated', 'the reply hit the max-tokens limit');
  if (!text.trim()) return fail('empty-output', 'the reply is empty');
  if (method === 'response' && typeof input.source?.instruction !== 'string') {
    throw new Error('parseGeneration: response generation needs source.instruction');
  }
  const extracted = variant === 'json' ? extractJson(method, text) : extractDelimited(method, text);
  if (!extracted.ok) return fail(extracted.reason, extracted.detail);
  const instruction = method === 'response' ? (input.source?.instruction ?? '') : (extracted.instruction ?? '');
  return validateInstance(
    { instruction, response: extracted.response },
    { method, domain: input.domain, delimited: variant !== 'json', demos: input.source?.demos, limits: input.limits },
  );
}
