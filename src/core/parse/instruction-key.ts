import type { CompletionResult } from '../ports.js';

/**
 * Key for exact-duplicate detection: the same instruction up to Unicode form, case and
 * whitespace. Near-duplicates are the diversity metric's business, not this key's.
 */
export function instructionKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A reply cut by the token limit is never accepted: its end (the answer) is missing. */
export function isTruncated(finishReason: CompletionResult['finishReason'] | undefined): boolean {
  return finishReason === 'length';
}
