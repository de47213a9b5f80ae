import { ProviderError, type CompletionResult, type TokenUsage } from '../../core/ports.js';
import type { AttemptResult } from './retrying-provider.js';

// The SDK's types describe what a correct server sends; these readers trust nothing.

function malformed(what: string): ProviderError {
  return new ProviderError('malformed', `malformed OpenAI response: ${what}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

export function readOpenAiUsage(usage: unknown): TokenUsage {
  if (!isRecord(usage) || !isCount(usage.prompt_tokens) || !isCount(usage.completion_tokens)) {
    throw malformed('missing usage.prompt_tokens / usage.completion_tokens');
  }
  return { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
}

export function openAiFinishReason(reason: unknown): CompletionResult['finishReason'] {
  if (reason === 'stop') return 'stop';
  return reason === 'length' ? 'length' : 'other';
}

/** Reads a non-streaming chat completion. */
export function readOpenAiCompletion(body: unknown, fallbackModel: string): AttemptResult {
  if (!isRecord(body)) throw malformed('body is not a JSON object');
  const choice: unknown = Array.isArray(body.choices) ? body.choices[0] : undefined;
  if (!isRecord(choice) || !isRecord(choice.message)) throw malformed('no choices[0].message');
  const content = choice.message.content;
  const reason = choice.finish_reason;
  let text: string;
  if (typeof content === 'string') text = content;
  // A null content is legitimate only when the model was cut off or filtered before writing.
  else if (content === null && (reason === 'length' || reason === 'content_filter')) text = '';
  else throw malformed('choices[0].message.content is not text');
  return {
    text,
    usage: readOpenAiUsage(body.usage),
    finishReason: openAiFinishReason(reason),
    model: typeof body.model === 'string' ? body.model : fallbackModel,
  };
}

/** Reads a stream requested with `stream_options.include_usage`, whose last chunk carries the usage. */
export async function collectOpenAiStream(chunks: AsyncIterable<unknown>, fallbackModel: string): Promise<AttemptResult> {
  let text = '';
  let reason: unknown;
  let usage: unknown;
  let model = fallbackModel;
  for await (const chunk of chunks) {
    if (!isRecord(chunk)) throw malformed('stream chunk is not a JSON object');
    if (typeof chunk.model === 'string') model = chunk.model;
    if (isRecord(chunk.usage)) usage = chunk.usage;
    const choice: unknown = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (!isRecord(choice)) continue;
    if (isRecord(choice.delta) && typeof choice.delta.content === 'string') text += choice.delta.content;
    if (typeof choice.finish_reason === 'string') reason = choice.finish_reason;
  }
  if (reason === undefined) throw malformed('stream ended without a finish_reason');
  return { text, usage: readOpenAiUsage(usage), finishReason: openAiFinishReason(reason), model };
}
