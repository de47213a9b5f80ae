import type { FakeLlmRequest, FakeMessage } from './fake-llm-server-types.js';

/** Deterministic stand-in for a tokenizer: one token per 4 characters, rounded up. */
export function countFakeTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function promptTokens(messages: readonly FakeMessage[]): number {
  let chars = 0;
  for (const m of messages) chars += m.content.length;
  return Math.ceil(chars / 4);
}

/** The default reply: an echo of the last user message, so tests can predict it. */
export function defaultResponder(req: FakeLlmRequest): string {
  const lastUser = [...req.messages].reverse().find((m) => m.role === 'user');
  return `Echo: ${lastUser?.content ?? ''}`;
}

export interface ShapedReply {
  readonly text: string;
  /** 'end': natural end; 'stop': a stop sequence matched; 'length': max tokens reached. */
  readonly finish: 'end' | 'stop' | 'length';
  readonly stopSequence?: string;
  readonly outputTokens: number;
}

/**
 * Applies stop sequences and the token limit as the real APIs do: the reply is cut before the
 * earliest stop string (which is not returned), then cut at maxTokens if it is still longer.
 */
export function shapeReply(full: string, stop: readonly string[], maxTokens: number | undefined): ShapedReply {
  let text = full;
  let finish: ShapedReply['finish'] = 'end';
  let stopSequence: string | undefined;
  let cutAt = -1;
  for (const s of stop) {
    if (s.length === 0) continue;
    const i = full.indexOf(s);
    if (i >= 0 && (cutAt < 0 || i < cutAt)) {
      cutAt = i;
      stopSequence = s;
    }
  }
  if (cutAt >= 0) {
    text = full.slice(0, cutAt);
    finish = 'stop';
  }
  if (maxTokens !== undefined && countFakeTokens(text) > maxTokens) {
    text = text.slice(0, Math.max(0, maxTokens) * 4);
    finish = 'length';
    stopSequence = undefined;
  }
  return { text, finish, ...(stopSequence !== undefined && { stopSequence }), outputTokens: countFakeTokens(text) };
}

/** Splits text into stream deltas of at most `size` characters (at least one delta, possibly empty). */
export function chunkText(text: string, size: number): string[] {
  if (text.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Flattens string-or-content-blocks (both APIs accept either) into plain text. */
export function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  let text = '';
  for (const block of content) {
    if (block && typeof block === 'object' && typeof (block as { text?: unknown }).text === 'string') {
      text += (block as { text: string }).text;
    }
  }
  return text;
}

/** Parses the stop field of either API: a string, an array of strings, or absent. */
export function stopList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return value as string[];
  return undefined;
}

export function optionalNumber(value: unknown): number | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
