import { z } from 'zod';
import { ProviderError } from '../../core/ports.js';
import type { EmbeddingPort } from '../../core/metrics/metric-ports.js';
import { parseWire } from '../llm/wire-schemas.js';
import { metricCaller, openAiAttempts, type MetricEndpointOptions } from './metric-endpoint.js';

const embeddingsSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()).min(1) })),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative() }),
});

type EmbeddingsBody = z.output<typeof embeddingsSchema>;

/** The batch's vectors in the order of its texts, each text's exactly once, all of one length. */
function ordered(body: EmbeddingsBody, count: number, what: string, dims: number | undefined): number[][] {
  const malformed = (message: string) => new ProviderError('malformed', `malformed ${what}: ${message}`);
  if (body.data.length !== count) throw malformed(`data has ${body.data.length} embeddings for ${count} inputs`);
  const vectors: (number[] | undefined)[] = new Array<number[] | undefined>(count);
  for (const [i, d] of body.data.entries()) {
    if (d.index >= count) throw malformed(`data.${i}.index is ${d.index}, past the ${count} inputs`);
    if (vectors[d.index]) throw malformed(`data.${i}.index ${d.index} occurs twice`);
    const want = dims ?? body.data[0]!.embedding.length;
    if (d.embedding.length !== want) throw malformed(`data.${i}.embedding has ${d.embedding.length} numbers, the others ${want}`);
    vectors[d.index] = d.embedding;
  }
  return vectors as number[][];
}

/**
 * Embeddings through the `openai` SDK (OpenAI or an OpenAI-compatible server), at most
 * `batchSize` texts per request, each request retried on its own. Floats are asked for: the
 * SDK's default base64 is not served by every OpenAI-compatible server.
 */
export function createEmbeddingClient(opts: MetricEndpointOptions & { readonly batchSize?: number }): EmbeddingPort {
  const batchSize = opts.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`embedding batchSize must be a positive integer, got ${batchSize}`);
  const caller = metricCaller(opts);
  const attempts = openAiAttempts(caller, opts);
  const what = `embeddings of ${opts.model} at ${caller.baseURL}`;
  return {
    embed: async (texts, signal) => {
      const vectors: number[][] = [];
      let inputTokens = 0;
      for (let start = 0; start < texts.length; start += batchSize) {
        const batch = texts.slice(start, start + batchSize);
        const dims = vectors[0]?.length;
        const got = await attempts(signal, async (client, attemptSignal) => {
          const raw: unknown = await client.embeddings.create({ model: opts.model, input: batch, encoding_format: 'float' }, { signal: attemptSignal });
          const body = parseWire(embeddingsSchema, raw, what);
          return { vectors: ordered(body, batch.length, what, dims), tokens: body.usage.prompt_tokens };
        });
        vectors.push(...got.vectors);
        inputTokens += got.tokens;
      }
      return { vectors, inputTokens };
    },
  };
}
