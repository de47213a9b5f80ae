const redacted = '[REDACTED]';

// Shapes of provider keys and bearer tokens, caught even when they are not the key we hold
// (a server may echo a different or partly masked key back in its error message).
const keyShapes: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_*-]{6,}/g,
  /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=*-]{6,}/gi,
  /\b(?:x-api-key|api[_-]?key)(["'\s:=]+)[^\s"',]{6,}/gi,
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Returns a function that removes the given secrets, and anything shaped like an API key, from a
 * text. Keys shorter than 6 characters are placeholders ('EMPTY'), not secrets.
 */
export function createScrubber(secrets: readonly string[]): (text: string) => string {
  const exact = secrets.filter((s) => s.length >= 6).map((s) => new RegExp(escapeRegExp(s), 'g'));
  return (text: string) => {
    let out = text;
    for (const re of exact) out = out.replace(re, redacted);
    out = out.replace(keyShapes[0]!, redacted);
    out = out.replace(keyShapes[1]!, (m) => `${m.split(/\s+/)[0] ?? ''} ${redacted}`);
    out = out.replace(keyShapes[2]!, (m, sep: string) => `${m.slice(0, m.indexOf(sep))}${sep}${redacted}`);
    return out;
  };
}
