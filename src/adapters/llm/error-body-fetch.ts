import { z } from 'zod';

/**
 * The `openai` SDK builds an error's message from the body's `error` field only, so servers that
 * answer errors in another shape (vLLM's `{"message": ...}`, FastAPI's `{"detail": ...}`, plain
 * text) surface as "422 status code (no body)". This fetch rewrites such error bodies into
 * `{"error": {"message": <the server's own text>}}` so the message reaches the user.
 */
export const fetchKeepingErrorBody: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (res.ok) return res;
  const text = await res.text();
  const message = serverMessage(text);
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  headers.set('content-type', 'application/json');
  const body = message === undefined ? text : JSON.stringify({ error: { message } });
  return new Response(body, { status: res.status, statusText: res.statusText, headers });
};

// The shapes of error bodies agora knows: OpenAI's own (left to the SDK), FastAPI's validation
// list (vLLM's request errors), and a plain `error` / `message` / `detail` value.
const openAiErrorSchema = z.object({ error: z.object({}).loose() });
const fastApiDetailSchema = z.object({ detail: z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string() })).min(1) });
const otherErrorSchema = z.object({ error: z.unknown(), message: z.unknown(), detail: z.unknown() }).partial();

/** The server's message, or undefined when the body already has an OpenAI-style `error` (or nothing at all). */
export function serverMessage(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return trimmed.slice(0, 1000);
  }
  if (openAiErrorSchema.safeParse(json).success) return undefined;
  const fastApi = fastApiDetailSchema.safeParse(json);
  if (fastApi.success)
    return fastApi.data.detail
      .map((d) => `${d.loc.join('.')}: ${d.msg}`)
      .join('; ')
      .slice(0, 1000);
  const other = otherErrorSchema.safeParse(json);
  const found = other.success && !Array.isArray(json) ? (other.data.error ?? other.data.message ?? other.data.detail) : undefined;
  if (found === undefined || found === null) return trimmed.slice(0, 1000);
  return (typeof found === 'string' ? found : JSON.stringify(found)).slice(0, 1000);
}
