import { ProviderError, type CompletionResult, type TokenUsage } from '../../core/ports.js';
import type { AttemptResult } from './retrying-provider.js';
import { openAiChunkSchema, openAiCompletionSchema, openAiUsageSchema, parseWire } from './wire-schemas.js';

// The SDK's types describe what a correct server sends; these readers parse (wire-schemas.ts).

function readOpenAiUsage(usage: unknown): TokenUsage {
  const u = parseWire(openAiUsageSchema, usage, 'OpenAI response usage');
  return { inputTokens: u.prompt_tokens, outputTokens: u.completion_tokens };
}

function openAiFinishReason(reason: string | null | undefined): CompletionResult['finishReason'] {
  if (reason === 'stop') return 'stop';
  return reason === 'length' ? 'length' : 'other';
}

/** Reads a non-streaming chat completion. */
export function readOpenAiCompletion(body: unknown, fallbackModel: string): AttemptResult {
  const b = parseWire(openAiCompletionSchema, body, 'OpenAI response');
  const choice = b.choices[0]!;
  const reason = choice.finish_reason;
  // A null content is legitimate only when the model was cut off or filtered before writing.
  if (choice.message.content === null && reason !== 'length' && reason !== 'content_filter') {
    throw new ProviderError('malformed', `malformed OpenAI response: choices.0.message.content is null with finish_reason ${JSON.stringify(reason ?? null)}`);
  }
  return {
    text: choice.message.content ?? '',
    usage: { inputTokens: b.usage.prompt_tokens, outputTokens: b.usage.completion_tokens },
    finishReason: openAiFinishReason(reason),
    model: b.model ?? fallbackModel,
  };
}

/** Reads a stream requested with `stream_options.include_usage`, whose last chunk carries the usage. */
export async function collectOpenAiStream(chunks: AsyncIterable<unknown>, fallbackModel: string): Promise<AttemptResult> {
  let text = '';
  let reason: string | undefined;
  let usage: unknown;
  let model = fallbackModel;
  let n = 0;
  for await (const raw of chunks) {
    const chunk = parseWire(openAiChunkSchema, raw, `OpenAI stream chunk ${n++}`);
    if (chunk.model !== undefined) model = chunk.model;
    if (chunk.usage !== null && chunk.usage !== undefined) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    if (typeof choice.delta?.content === 'string') text += choice.delta.content;
    if (typeof choice.finish_reason === 'string') reason = choice.finish_reason;
  }
  if (reason === undefined) throw new ProviderError('malformed', 'malformed OpenAI stream: it ended without a finish_reason');
  return { text, usage: readOpenAiUsage(usage), finishReason: openAiFinishReason(reason), model };
}
