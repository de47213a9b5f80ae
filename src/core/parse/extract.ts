import { MARKERS } from '../prompts/types.js';
import type { Method } from '../setting.js';
import type { ParseFailureReason } from './types.js';

export type Extracted =
  | { readonly ok: true; readonly instruction: string | undefined; readonly response: string }
  | { readonly ok: false; readonly reason: ParseFailureReason; readonly detail: string };

interface MarkerHit {
  readonly index: number;
  readonly end: number;
}

/**
 * Pulls the instruction/response out of a delimiter-style reply. The prompt ends with the
 * opening trigger, so the reply starts inside the first slot; models sometimes restate the
 * trigger or add bold markdown around the markers, which is tolerated.
 * `instruction` is undefined for response generation (the caller supplies it).
 */
export function extractDelimited(method: Method, text: string): Extracted {
  const body = cutAtEnd(text);
  if (method === 'response') return { ok: true, instruction: undefined, response: stripRestatement(body).trim() };
  const [open, close] = method === 'instance' ? [MARKERS.input, MARKERS.output] : [MARKERS.revisedQuestion, MARKERS.revisedAnswer];
  const caseless = method === 'quality';
  const hit = findMarker(body, close, caseless);
  if (!hit) return { ok: false, reason: 'no-output-marker', detail: `no "${close}" marker in the reply` };
  let instruction = body.slice(0, hit.index);
  const restatedOpen = lastMarker(instruction, open, caseless);
  if (restatedOpen) instruction = instruction.slice(restatedOpen.end);
  return { ok: true, instruction: instruction.trim(), response: body.slice(hit.end).trim() };
}

/** One JSON object, possibly inside a ```json fence or after a sentence of preamble. */
export function extractJson(method: Method, text: string): Extracted {
  const start = text.indexOf('{');
  if (start === -1) return { ok: false, reason: 'bad-json', detail: 'no JSON object in the reply' };
  const end = objectEnd(text, start);
  if (end === undefined) return { ok: false, reason: 'bad-json', detail: 'the JSON object is never closed' };
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch (err) {
    return { ok: false, reason: 'bad-json', detail: `invalid JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'bad-json', detail: 'the reply is not a JSON object' };
  }
  const obj = value as Record<string, unknown>;
  const response = obj['response'];
  if (typeof response !== 'string') return { ok: false, reason: 'bad-json', detail: 'no string field "response"' };
  if (method === 'response') return { ok: true, instruction: undefined, response };
  const instruction = obj['instruction'];
  if (typeof instruction !== 'string') return { ok: false, reason: 'bad-json', detail: 'no string field "instruction"' };
  return { ok: true, instruction, response };
}

/** Everything before the first stop phrase: a model that ignores the stop sequence may go on. */
export function cutAtEnd(text: string): string {
  const at = text.indexOf(MARKERS.end);
  return at === -1 ? text : text.slice(0, at);
}

/** First marker, preferring one at a line start (optionally in **bold**) over one mid-line. */
function findMarker(text: string, marker: string, caseless: boolean): MarkerHit | undefined {
  const flags = caseless ? 'i' : '';
  const lineStart = new RegExp(`(^|\\n)[ \\t]*(\\*\\*)?${escape(marker)}(\\*\\*)?`, flags).exec(text);
  if (lineStart) return { index: lineStart.index + (lineStart[1]?.length ?? 0), end: lineStart.index + lineStart[0].length };
  const anywhere = new RegExp(`(\\*\\*)?${escape(marker)}(\\*\\*)?`, flags).exec(text);
  return anywhere ? { index: anywhere.index, end: anywhere.index + anywhere[0].length } : undefined;
}

function lastMarker(text: string, marker: string, caseless: boolean): MarkerHit | undefined {
  const re = new RegExp(`(\\*\\*)?${escape(marker)}(\\*\\*)?`, caseless ? 'gi' : 'g');
  let last: MarkerHit | undefined;
  for (const m of text.matchAll(re)) last = { index: m.index ?? 0, end: (m.index ?? 0) + m[0].length };
  return last;
}

/** A response-generation reply that repeats "OUTPUT:", or the whole "INPUT: ... OUTPUT:" pair. */
function stripRestatement(body: string): string {
  const lead = body.trimStart();
  const output = new RegExp(`^(\\*\\*)?${escape(MARKERS.output)}(\\*\\*)?`).exec(lead);
  if (output) return lead.slice(output[0].length);
  if (lead.startsWith(MARKERS.input)) {
    const hit = findMarker(lead, MARKERS.output, false);
    if (hit) return lead.slice(hit.end);
  }
  return body;
}

/** Index of the brace closing the object opened at `start`, skipping braces inside strings. */
function objectEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return undefined;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
