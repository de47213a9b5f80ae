import OpenAI from 'openai';
import type { GeneratorConfig } from '../../config/schema.js';
import type { CompletionRequest } from '../../core/ports.js';
import { collectOpenAiStream, readOpenAiCompletion } from './openai-response.js';
import type { SendAttempt } from './retrying-provider.js';
import { fetchKeepingErrorBody } from './error-body-fetch.js';

export interface SendOptions {
  readonly apiKey: string;
  readonly stream: boolean;
  readonly timeoutMs: number;
}

type ChatParams = Omit<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, 'stream'> & {
  /** vLLM's sampling extension; OpenAI itself rejects unknown parameters. */
  repetition_penalty?: number;
};

/** The chat request's body, for a live call and for a line of a batch's input file alike. */
export function chatParams(gen: GeneratorConfig, req: CompletionRequest): ChatParams {
  return {
    model: gen.model,
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
    max_tokens: req.maxTokens,
    temperature: req.temperature,
    ...(req.topP !== undefined && { top_p: req.topP }),
    ...(req.stop !== undefined && req.stop.length > 0 && { stop: [...req.stop] }),
    ...(gen.provider === 'openai-compatible' && req.repetitionPenalty !== undefined && { repetition_penalty: req.repetitionPenalty }),
  };
}

/** One attempt through the `openai` SDK, for OpenAI and OpenAI-compatible servers (vLLM, Together, Ollama). */
export function createOpenAiSend(gen: GeneratorConfig, opts: SendOptions): SendAttempt {
  const client = new OpenAI({
    apiKey: opts.apiKey,
    ...(gen.baseURL !== undefined && { baseURL: gen.baseURL }),
    maxRetries: 0,
    timeout: opts.timeoutMs,
    // Errors are classified and reported by the retry loop; the SDK's own logging would only repeat them.
    logLevel: 'off',
    fetch: fetchKeepingErrorBody,
  });
  return async (req, signal) => {
    const params = chatParams(gen, req);
    if (!opts.stream) {
      const body: unknown = await client.chat.completions.create({ ...params, stream: false }, { signal });
      return readOpenAiCompletion(body, gen.model);
    }
    const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }, { signal });
    return collectOpenAiStream(stream, gen.model);
  };
}
