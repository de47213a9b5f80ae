import { z } from 'zod';
import type { RewardPort } from '../../core/metrics/metric-ports.js';
import { ProviderError } from '../../core/ports.js';
import { kindForStatus } from '../llm/classify-error.js';
import { serverMessage } from '../llm/error-body-fetch.js';
import { parseRetryAfterMs } from '../llm/retry-policy.js';
import { parseWire } from '../llm/wire-schemas.js';
import { metricCaller, type MetricEndpointOptions } from './metric-endpoint.js';

// vLLM's pooling answer: a sequence classifier gives one number (or one per label), a
// token-level reward pooler one per token (as [n] or [n][1]).
const poolingSchema = z.object({
  data: z.array(z.object({ data: z.union([z.number(), z.array(z.number()), z.array(z.array(z.number()))]) })).min(1),
});

/** The sequence's reward: the last number, which for a token-level pooler is the last token's. */
function lastNumber(data: number | number[] | number[][], what: string): number {
  const flat = typeof data === 'number' ? [data] : data.flat();
  const last = flat.at(-1);
  if (last === undefined) throw new ProviderError('malformed', `malformed ${what}: data.0.data holds no number`);
  return last;
}

const openAiErrorSchema = z.object({ error: z.object({ message: z.string() }) });

/** The server's own words: OpenAI's `error.message`, or vLLM's / FastAPI's shapes (serverMessage). */
function errorText(text: string): string | undefined {
  try {
    const r = openAiErrorSchema.safeParse(JSON.parse(text));
    if (r.success) return r.data.error.message;
  } catch {
    // not JSON: serverMessage takes the text as it is
  }
  return serverMessage(text);
}

async function statusError(res: Response, what: string): Promise<ProviderError> {
  const text = await res.text().catch(() => '');
  const message = errorText(text) ?? res.statusText;
  return new ProviderError(kindForStatus(res.status), `${what}: HTTP ${res.status}: ${message}`, res.status, parseRetryAfterMs(res.headers));
}

/**
 * A reward model's score through vLLM's pooling API (`POST /pooling` at the server's root), the
 * pair sent as a chat so that the server applies the model's own chat template.
 */
export function createRewardClient(opts: MetricEndpointOptions): RewardPort {
  const caller = metricCaller(opts);
  const url = `${caller.root}/pooling`;
  const what = `reward of ${opts.model} at ${url}`;
  return {
    score: (instruction, response, signal) =>
      caller.call(signal, async (attemptSignal) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.apiKey}` },
          body: JSON.stringify({
            model: opts.model,
            messages: [
              { role: 'user', content: instruction },
              { role: 'assistant', content: response },
            ],
          }),
          signal: attemptSignal,
        });
        if (!res.ok) throw await statusError(res, what);
        const text = await res.text();
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch (e) {
          throw new ProviderError('malformed', `malformed ${what}: the body is not JSON (${(e as Error).message}): ${text.slice(0, 100)}`);
        }
        return lastNumber(parseWire(poolingSchema, raw, what).data[0]!.data, what);
      }),
  };
}
