import { z } from 'zod';
import { ProviderError } from '../../core/ports.js';

/**
 * What agora reads of the providers' answers, as zod schemas. The SDKs' types describe what a
 * correct server sends; OpenAI-compatible servers (vLLM, Ollama, proxies) do not always, so a body
 * is parsed here and one that does not match is a 'malformed' ProviderError naming the field,
 * which the retry policy retries. Fields agora does not read are not checked.
 */

const count = z.number().int().nonnegative();

/** Throws ProviderError('malformed') naming the provider, what was read and the fields that are wrong. */
export function parseWire<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(body)'}: ${i.message}`).join('; ');
  throw new ProviderError('malformed', `malformed ${what}: ${fields}`);
}

/** A server's own model name is informative only: anything else falls back to the configured one. */
const modelName = z.string().optional().catch(undefined);

export const openAiUsageSchema = z.object({ prompt_tokens: count, completion_tokens: count });

export const openAiCompletionSchema = z.object({
  model: modelName,
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: openAiUsageSchema,
});

export const openAiChunkSchema = z.object({
  model: modelName,
  // Checked once the stream ends: only the last chunk carries it, the others send null.
  usage: z.unknown().optional(),
  choices: z
    .array(
      z.object({
        delta: z.object({ content: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .optional(),
});

export const anthropicUsageSchema = z.object({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count.nullish(),
  cache_read_input_tokens: count.nullish(),
});

/** A content block (type `text`) or stream delta (type `text_delta`) whose text, if it is of that type, is a string. */
function textBlock(textType: string) {
  return z.looseObject({ type: z.string(), text: z.unknown().optional() }).superRefine((b, ctx) => {
    if (b.type === textType && typeof b.text !== 'string') ctx.addIssue({ code: 'custom', path: ['text'], message: `a ${textType} block has no text` });
  });
}

export const anthropicMessageSchema = z.object({
  model: modelName,
  content: z.array(textBlock('text')),
  stop_reason: z.string(),
  usage: anthropicUsageSchema,
});

/** The stream events agora reads; others (ping, content_block_start/stop) pass unread. */
export const anthropicEventSchemas = {
  message_start: z.object({ message: z.object({ model: modelName, usage: z.record(z.string(), z.unknown()) }) }),
  content_block_delta: z.object({ delta: textBlock('text_delta') }),
  message_delta: z.object({
    delta: z.object({ stop_reason: z.string().nullish() }),
    usage: z.record(z.string(), z.unknown()).nullish(),
  }),
} as const;
