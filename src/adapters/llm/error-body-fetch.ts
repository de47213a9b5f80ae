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
  if (typeof json !== 'object' || json === null) return trimmed.slice(0, 1000);
  const o = json as Record<string, unknown>;
  if (typeof o.error === 'object' && o.error !== null) return undefined;
  const found = o.error ?? o.message ?? o.detail;
  if (found === undefined) return trimmed.slice(0, 1000);
  return (typeof found === 'string' ? found : JSON.stringify(found)).slice(0, 1000);
}
