import { openAiWire } from './fake-llm-server-openai.js';

/**
 * The stand-in's metric routes, as vLLM serves them: prompt logprobs (`/v1/completions` with echo),
 * embeddings (`/v1/embeddings`) and a reward model (`/pooling`, at the root). Faults reach them
 * as they reach the chat routes: the server draws one before it routes.
 *
 * Documented formulas, for tests to compute expected values from:
 * - Tokens of a text: the matches of /\s*\S+/g, each word with the whitespace before it; a
 *   token's offset is where it starts in the text.
 * - Logprob of prompt token i: null for i = 0; else -((w.length % 4) + 1) / 4, w the token
 *   without its whitespace. The one generated token is ' ok', logprob -0.125.
 * - Embedding of a text: 8 numbers; each lowercase word (/[a-z0-9]+/g of the lowercased text)
 *   adds 1 at index (sum of its UTF-16 code units) % 8; the vector is scaled to unit length
 *   ([1, 0, ..., 0] when there is no word). Data come back in reverse order of `index`, as the
 *   API allows, and usage.prompt_tokens is the inputs' tokens summed.
 * - Reward of (instruction, response): words(response) / 4 - words(instruction) / 8, words by
 *   /\S+/g. A model whose name ends in `-token` answers one [value] per token of
 *   `${instruction} ${response}` (i / 100 for token i, the reward for the last); others `[reward]`.
 */

type Reply = (status: number, body: string) => void;

const tokensOf = (text: string) => [...text.matchAll(/\s*\S+/g)].map((m) => ({ text: m[0], offset: m.index }));
const wordCount = (text: string) => (text.match(/\S+/g) ?? []).length;

function tokenLogprob(token: string): number {
  return -((token.trim().length % 4) + 1) / 4;
}

const GENERATED = { text: ' ok', logprob: -0.125 };

function completion(body: Record<string, unknown>, reply: Reply): void {
  const prompt = body.prompt;
  if (typeof body.model !== 'string' || typeof prompt !== 'string') return reply(400, openAiWire.error(400, "'model' and 'prompt' must be strings"));
  const tokens = tokensOf(prompt);
  if (tokens.length === 0) return reply(400, openAiWire.error(400, 'the prompt is empty'));
  const echo = body.echo === true;
  const shown = [
    ...(echo ? tokens.map((t, i) => ({ text: t.text, offset: t.offset, logprob: i === 0 ? null : tokenLogprob(t.text) })) : []),
    { text: GENERATED.text, offset: echo ? prompt.length : 0, logprob: GENERATED.logprob },
  ];
  const logprobs =
    typeof body.logprobs === 'number'
      ? {
          tokens: shown.map((t) => t.text),
          token_logprobs: shown.map((t) => t.logprob),
          text_offset: shown.map((t) => t.offset),
          top_logprobs: shown.map((t) => (t.logprob === null ? null : { [t.text]: t.logprob })),
        }
      : null;
  const choice = { index: 0, text: `${echo ? prompt : ''}${GENERATED.text}`, logprobs, finish_reason: 'length' };
  const usage = { prompt_tokens: tokens.length, completion_tokens: 1, total_tokens: tokens.length + 1 };
  reply(200, JSON.stringify({ id: 'cmpl-metrics', object: 'text_completion', created: 0, model: body.model, choices: [choice], usage }));
}

function embedding(text: string): number[] {
  const v: number[] = new Array<number>(8).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let sum = 0;
    for (let i = 0; i < word.length; i++) sum += word.charCodeAt(i);
    v[sum % 8]! += 1;
  }
  const norm = Math.hypot(...v);
  return norm === 0 ? [1, 0, 0, 0, 0, 0, 0, 0] : v.map((x) => x / norm);
}

function embeddings(body: Record<string, unknown>, reply: Reply): void {
  const input = typeof body.input === 'string' ? [body.input] : body.input;
  if (typeof body.model !== 'string' || !Array.isArray(input) || input.length === 0 || !input.every((t) => typeof t === 'string')) {
    return reply(400, openAiWire.error(400, "'input' must be a string or a non-empty array of strings"));
  }
  const base64 = body.encoding_format === 'base64';
  const data = input.map((text, index) => {
    const v = embedding(text);
    return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v };
  });
  const tokens = input.reduce((n, t) => n + tokensOf(t).length, 0);
  reply(200, JSON.stringify({ object: 'list', model: body.model, data: data.reverse(), usage: { prompt_tokens: tokens, total_tokens: tokens } }));
}

function pooling(body: Record<string, unknown>, reply: Reply): void {
  const messages = body.messages;
  const valid = Array.isArray(messages) && messages.length === 2 && messages.every((m) => typeof (m as { content?: unknown } | null)?.content === 'string');
  if (typeof body.model !== 'string' || !valid) return reply(400, JSON.stringify({ message: "'messages' must be a user and an assistant message" }));
  const [instruction, response] = (messages as { content: string }[]).map((m) => m.content) as [string, string];
  const reward = wordCount(response) / 4 - wordCount(instruction) / 8;
  const n = tokensOf(`${instruction} ${response}`).length;
  const data = body.model.endsWith('-token') ? Array.from({ length: n }, (_, i) => [i === n - 1 ? reward : i / 100]) : [reward];
  reply(
    200,
    JSON.stringify({
      id: 'pool-metrics',
      object: 'list',
      created: 0,
      model: body.model,
      data: [{ index: 0, object: 'pooling', data }],
      usage: { prompt_tokens: n, total_tokens: n },
    }),
  );
}

const routes: Record<string, (body: Record<string, unknown>, reply: Reply) => void> = {
  '/v1/completions': completion,
  '/v1/embeddings': embeddings,
  '/pooling': pooling,
};

/** Answers a POST to one of the metric routes and says true; false for any other request. */
/** Whether a request goes to one of these routes (the server applies its latency before them too). */
export function isMetricRoute(method: string | undefined, path: string): boolean {
  return method === 'POST' && routes[path] !== undefined;
}

export function serveMetricRoute(method: string | undefined, path: string, body: Record<string, unknown> | undefined, reply: Reply): boolean {
  const route = routes[path];
  if (route === undefined || method !== 'POST') return false;
  if (body === undefined) reply(400, openAiWire.error(400, 'the request body is not a JSON object'));
  else route(body, reply);
  return true;
}
