import { ProviderError, type CompletionResult, type TokenUsage } from '../../core/ports.js';
import type { AttemptResult } from './retrying-provider.js';
import { anthropicEventSchemas, anthropicMessageSchema, anthropicUsageSchema, parseWire } from './wire-schemas.js';

// The SDK's types describe what a correct server sends; these readers parse (wire-schemas.ts).

/**
 * Input tokens include cache writes and reads: agora sends no cache_control, so both are 0 in
 * practice, and if a server reports them anyway they are counted rather than dropped.
 */
function readAnthropicUsage(usage: unknown, what: string): TokenUsage {
  const u = parseWire(anthropicUsageSchema, usage, what);
  return { inputTokens: u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0), outputTokens: u.output_tokens };
}

function anthropicFinishReason(reason: string): CompletionResult['finishReason'] {
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'stop';
  return reason === 'max_tokens' ? 'length' : 'other';
}

/** Reads a non-streaming Messages API answer; the text is all text blocks joined. */
export function readAnthropicMessage(body: unknown, fallbackModel: string): AttemptResult {
  const b = parseWire(anthropicMessageSchema, body, 'Anthropic response');
  return {
    text: b.content.map((block) => (block.type === 'text' ? (block.text as string) : '')).join(''),
    usage: readAnthropicUsage(b.usage, 'Anthropic response usage'),
    finishReason: anthropicFinishReason(b.stop_reason),
    model: b.model ?? fallbackModel,
  };
}

function eventType(event: unknown): unknown {
  return typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
}

/**
 * Reads a Messages stream: input tokens arrive in message_start, the final output count (cumulative)
 * and the stop reason in message_delta.
 */
export async function collectAnthropicStream(events: AsyncIterable<unknown>, fallbackModel: string): Promise<AttemptResult> {
  let text = '';
  let model = fallbackModel;
  let usage: Record<string, unknown> | undefined;
  let reason: string | null | undefined;
  let stopped = false;
  let n = 0;
  for await (const event of events) {
    const what = `Anthropic stream event ${n++}`;
    const type = eventType(event);
    if (typeof type !== 'string') throw new ProviderError('malformed', `malformed ${what}: type: not a string`);
    switch (type) {
      case 'message_start': {
        const { message } = parseWire(anthropicEventSchemas.message_start, event, `${what} (message_start)`);
        if (message.model !== undefined) model = message.model;
        usage = { ...message.usage };
        break;
      }
      case 'content_block_delta': {
        const { delta } = parseWire(anthropicEventSchemas.content_block_delta, event, `${what} (content_block_delta)`);
        if (delta.type === 'text_delta') text += delta.text as string;
        break;
      }
      case 'message_delta': {
        const e = parseWire(anthropicEventSchemas.message_delta, event, `${what} (message_delta)`);
        reason = e.delta.stop_reason;
        // Later counts replace earlier ones; null fields (not reported) keep what message_start said.
        for (const [k, v] of Object.entries(e.usage ?? {})) if (v !== null && v !== undefined) usage = { ...usage, [k]: v };
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  if (!stopped || typeof reason !== 'string') throw new ProviderError('malformed', 'malformed Anthropic stream: it ended before message_stop');
  return { text, usage: readAnthropicUsage(usage, 'Anthropic stream usage'), finishReason: anthropicFinishReason(reason), model };
}
