import { ProviderError, type CompletionResult, type TokenUsage } from '../../core/ports.js';
import type { AttemptResult } from './retrying-provider.js';

// The SDK's types describe what a correct server sends; these readers trust nothing.

function malformed(what: string): ProviderError {
  return new ProviderError('malformed', `malformed Anthropic response: ${what}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function optionalCount(v: unknown): number {
  return isCount(v) ? v : 0;
}

/**
 * Input tokens include cache writes and reads: agora sends no cache_control, so both are 0 in
 * practice, and if a server reports them anyway they are counted rather than dropped.
 */
export function readAnthropicUsage(usage: unknown): TokenUsage {
  if (!isRecord(usage) || !isCount(usage.input_tokens) || !isCount(usage.output_tokens)) {
    throw malformed('missing usage.input_tokens / usage.output_tokens');
  }
  const input = usage.input_tokens + optionalCount(usage.cache_creation_input_tokens) + optionalCount(usage.cache_read_input_tokens);
  return { inputTokens: input, outputTokens: usage.output_tokens };
}

export function anthropicFinishReason(reason: unknown): CompletionResult['finishReason'] {
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'stop';
  return reason === 'max_tokens' ? 'length' : 'other';
}

/** Reads a non-streaming Messages API answer; the text is all text blocks joined. */
export function readAnthropicMessage(body: unknown, fallbackModel: string): AttemptResult {
  if (!isRecord(body)) throw malformed('body is not a JSON object');
  if (!Array.isArray(body.content)) throw malformed('no content array');
  let text = '';
  for (const block of body.content as unknown[]) {
    if (isRecord(block) && block.type === 'text') {
      if (typeof block.text !== 'string') throw malformed('a text block has no text');
      text += block.text;
    }
  }
  if (typeof body.stop_reason !== 'string') throw malformed('no stop_reason');
  return {
    text,
    usage: readAnthropicUsage(body.usage),
    finishReason: anthropicFinishReason(body.stop_reason),
    model: typeof body.model === 'string' ? body.model : fallbackModel,
  };
}

/**
 * Reads a Messages stream: input tokens arrive in message_start, the final output count (cumulative)
 * and the stop reason in message_delta.
 */
export async function collectAnthropicStream(events: AsyncIterable<unknown>, fallbackModel: string): Promise<AttemptResult> {
  let text = '';
  let model = fallbackModel;
  let usage: Record<string, unknown> | undefined;
  let reason: unknown;
  let stopped = false;
  for await (const event of events) {
    if (!isRecord(event)) throw malformed('stream event is not a JSON object');
    switch (event.type) {
      case 'message_start': {
        const message = event.message;
        if (!isRecord(message) || !isRecord(message.usage)) throw malformed('message_start without usage');
        if (typeof message.model === 'string') model = message.model;
        usage = { ...message.usage };
        break;
      }
      case 'content_block_delta':
        if (isRecord(event.delta) && event.delta.type === 'text_delta' && typeof event.delta.text === 'string') text += event.delta.text;
        break;
      case 'message_delta':
        if (isRecord(event.delta)) reason = event.delta.stop_reason;
        if (isRecord(event.usage)) {
          // Later counts replace earlier ones; null fields (not reported) keep what message_start said.
          for (const [k, v] of Object.entries(event.usage)) if (v !== null && v !== undefined) usage = { ...usage, [k]: v };
        }
        break;
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  if (!stopped || typeof reason !== 'string') throw malformed('stream ended before message_stop');
  return { text, usage: readAnthropicUsage(usage), finishReason: anthropicFinishReason(reason), model };
}
