import Anthropic from '@anthropic-ai/sdk';
import type { GeneratorConfig } from '../../config/schema.js';
import type { CompletionRequest } from '../../core/ports.js';
import { collectAnthropicStream, readAnthropicMessage } from './anthropic-response.js';
import type { SendOptions } from './openai-provider.js';
import type { SendAttempt } from './retrying-provider.js';

type MessageParams = Omit<Anthropic.Messages.MessageCreateParamsNonStreaming, 'stream'>;

/**
 * The Messages API takes the system prompt apart from the turns; several system messages are joined.
 * No temperature or top_p: @anthropic-ai/sdk 1.x sends API version 2026-10-21, which answers 400 to
 * any sampling parameter (even temperature 1.0), and its types no longer have them.
 */
export function messageParams(gen: GeneratorConfig, req: CompletionRequest): MessageParams {
  const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const turns = req.messages.flatMap((m) => (m.role === 'system' ? [] : [{ role: m.role, content: m.content }]));
  return {
    model: gen.model,
    max_tokens: req.maxTokens,
    messages: turns,
    ...(system.length > 0 && { system: system.join('\n\n') }),
    ...(req.stop !== undefined && req.stop.length > 0 && { stop_sequences: [...req.stop] }),
  };
}

/** One attempt through `@anthropic-ai/sdk`'s messages.create. */
export function createAnthropicSend(gen: GeneratorConfig, opts: SendOptions): SendAttempt {
  const client = new Anthropic({
    apiKey: opts.apiKey,
    ...(gen.baseURL !== undefined && { baseURL: gen.baseURL }),
    maxRetries: 0,
    // Set explicitly, so the SDK does not refuse large non-streaming max_tokens on its own estimate.
    timeout: opts.timeoutMs,
    logLevel: 'off',
  });
  return async (req, signal) => {
    const params = messageParams(gen, req);
    if (!opts.stream) {
      const body: unknown = await client.messages.create({ ...params, stream: false }, { signal });
      return readAnthropicMessage(body, gen.model);
    }
    const stream = await client.messages.create({ ...params, stream: true }, { signal });
    return collectAnthropicStream(stream, gen.model);
  };
}
