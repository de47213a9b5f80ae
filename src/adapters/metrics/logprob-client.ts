import { z } from 'zod';
import type { LogprobPort } from '../../core/metrics/metric-ports.js';
import { parseWire } from '../llm/wire-schemas.js';
import { metricCaller, openAiAttempts, unsupported, type MetricEndpointOptions } from './metric-endpoint.js';

// What is read of a completion with echo + logprobs. Logprobs are nullable: a server that does
// not do logprobs sends `null`, which gets its own message below rather than a schema error.
const echoSchema = z.object({
  choices: z
    .array(
      z.object({
        logprobs: z
          .object({
            token_logprobs: z.array(z.number().nullable()),
            text_offset: z.array(z.number().int().nonnegative()).nullish(),
          })
          .nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative() }).nullish(),
});

type EchoBody = z.output<typeof echoSchema>;

/**
 * The prompt's share of the echoed logprobs: the first `usage.prompt_tokens` entries (the rest
 * are the one generated token), or, without usage, the tokens that start inside the prompt.
 */
function promptLogprobs(body: EchoBody, text: string, what: string): { tokenLogprobs: (number | null)[]; inputTokens: number } {
  const logprobs = body.choices[0]!.logprobs;
  if (!logprobs) return fail(what, 'choices.0.logprobs is missing: the server returns no logprobs for completions');
  const all = logprobs.token_logprobs;
  let n: number;
  if (body.usage) {
    n = body.usage.prompt_tokens;
  } else if (logprobs.text_offset) {
    if (logprobs.text_offset.length !== all.length) {
      return fail(what, `choices.0.logprobs.text_offset has ${logprobs.text_offset.length} entries, token_logprobs ${all.length}`);
    }
    n = logprobs.text_offset.filter((o) => o < text.length).length;
  } else {
    return fail(what, 'usage.prompt_tokens and choices.0.logprobs.text_offset are both missing: the prompt tokens cannot be told from the generated one');
  }
  if (n === 0 || all.length < n) {
    return fail(
      what,
      `choices.0.logprobs.token_logprobs has ${all.length} entries for ${n} prompt tokens: the server did not echo the prompt (it ignores echo)`,
    );
  }
  // The first token of a prompt has nothing to be predicted from; a number there is the generated
  // token's, from a server that ignored echo and sent no usage either.
  if (all[0] !== null) {
    return fail(what, `choices.0.logprobs.token_logprobs.0 is ${all[0]}, not null: these are not the prompt's logprobs (the server ignores echo)`);
  }
  return { tokenLogprobs: all.slice(0, n), inputTokens: n };
}

function fail(what: string, message: string): never {
  throw unsupported(what, message);
}

/**
 * Prompt token logprobs of an OpenAI-compatible server (vLLM): a completion of the text with
 * echo and logprobs, generating one token (some servers refuse max_tokens 0), at temperature 0.
 */
export function createLogprobClient(opts: MetricEndpointOptions): LogprobPort {
  const caller = metricCaller(opts);
  const attempts = openAiAttempts(caller, opts);
  const what = `prompt logprobs of ${opts.model} at ${caller.baseURL}`;
  return {
    promptLogprobs: (text, signal) =>
      attempts(signal, async (client, attemptSignal) => {
        const raw: unknown = await client.completions.create(
          { model: opts.model, prompt: text, echo: true, logprobs: 1, max_tokens: 1, temperature: 0 },
          { signal: attemptSignal },
        );
        return promptLogprobs(parseWire(echoSchema, raw, what), text, what);
      }),
  };
}
