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

/**
 * The JSON variant, parsed strictly (the paper's format ablation measures exactly what a
 * model loses by not following the format): the reply is one JSON object, bare or in one
 * ```json fence, with exactly the expected keys and string values. A preamble, trailing
 * text, an array or an extra key is a rejection with its reason.
 */
export function extractJson(method: Method, text: string): Extracted {
  const body = unfence(text.trim());
  if (!body.startsWith('{')) return { ok: false, reason: 'bad-json', detail: 'the reply is not a JSON object (text before it, or not an object)' };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return { ok: false, reason: 'bad-json', detail: `invalid JSON (or text after the object): ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'bad-json', detail: 'the reply is not a JSON object' };
  }
  const obj = value as Record<string, unknown>;
  const wanted = method === 'response' ? ['response'] : ['instruction', 'response'];
  const extra = Object.keys(obj).filter((k) => !wanted.includes(k));
  if (extra.length > 0)
    return {
      ok: false,
      reason: 'bad-json',
      detail: `unexpected key(s) ${extra.map((k) => `"${k}"`).join(', ')}; expected only ${wanted.map((k) => `"${k}"`).join(', ')}`,
    };
  for (const key of wanted) {
    if (typeof obj[key] !== 'string') return { ok: false, reason: 'bad-json', detail: `no string field "${key}"` };
  }
  const response = obj['response'] as string;
  return { ok: true, instruction: method === 'response' ? undefined : (obj['instruction'] as string), response };
}

/** The inside of one ```json (or bare ```) fence that is the whole reply; anything else unchanged. */
function unfence(text: string): string {
  const m = /^```(?:json)?[ \t]*\n([\s\S]*?)\n?```$/i.exec(text);
  return m ? m[1]!.trim() : text;
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

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
