// A responder for the fake LLM server that answers agora's default meta-prompts the way a
// cooperative generator model would, with every `badEvery`-th reply malformed so that
// rejections are exercised too, and optionally some prompts refused every time they are asked
// (`refuseRate`, by a hash of the prompt, or `refuse`): a response/quality prompt is the same
// on every attempt, so its seed item is always refused, as real models refuse some items.
// Default export: usable with --responder-module.
import type { FakeLlmRequest, FakeResponder } from './fake-llm-server-types.js';

type Domain = 'math' | 'code' | 'inst';

function domainOf(prompt: string): Domain {
  if (prompt.includes('[RESULT]')) return 'math';
  if (/```python|Python/.test(prompt)) return 'code';
  return 'inst';
}

function answer(domain: Domain, n: number, bad: boolean): string {
  if (domain === 'math') return bad ? `Add them up to get ${n}.` : `Adding ${n - 1} and 1 gives ${n}.\n[RESULT] ${n} [/RESULT]`;
  if (domain === 'code') return bad ? `def f${n}(): return ${n}` : '```python\n' + `def f${n}():\n    return ${n}\n` + '```';
  return bad ? '' : `Here is a careful answer about item ${n}, with enough detail to be useful.`;
}

function question(domain: Domain, n: number): string {
  if (domain === 'math') return `A shop sells ${n} pencils on Monday and one more on Tuesday. Case ${n}: how many pencils does it sell in total, minus one?`;
  if (domain === 'code') return `Write a Python function f${n} that takes no arguments and returns the integer ${n}.`;
  return `Explain, in two sentences, why the number ${n} might matter to a collector of house numbers.`;
}

/** FNV-1a: a stable hash, so the same prompt is refused in every process and every run. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The prompt text a responder sees (system and user messages joined). */
export function promptText(req: FakeLlmRequest): string {
  return req.messages.map((m) => m.content).join('\n');
}

/** True for about `rate` of all distinct prompts, the same ones every time. */
export function refusedByRate(prompt: string, rate: number): boolean {
  return hash(prompt) % 10_000 < rate * 10_000;
}

export interface AgoraResponderOptions {
  /** Every n-th reply (counting all requests) is malformed: a transient rejection. */
  readonly badEvery?: number;
  /** This share of distinct prompts gets a malformed reply every time (0.1: about 10%). */
  readonly refuseRate?: number;
  /** Prompts that get a malformed reply every time. */
  readonly refuse?: (prompt: string) => boolean;
}

export function agoraResponder(opts: AgoraResponderOptions = {}): FakeResponder {
  let counter = 0;
  return (req: FakeLlmRequest) => {
    const n = ++counter + 1;
    const prompt = promptText(req);
    const refused = (opts.refuseRate !== undefined && refusedByRate(prompt, opts.refuseRate)) || (opts.refuse?.(prompt) ?? false);
    const bad = refused || (opts.badEvery !== undefined && n % opts.badEvery === 0);
    const domain = domainOf(prompt);
    const tail = prompt.trimEnd();
    // The JSON meta-prompts (metaPrompt: json) ask for one object; a malformed reply is its text without the braces.
    if (prompt.includes('Reply with one JSON object')) {
      const wantsInstruction = prompt.includes('exactly the keys "instruction" and "response"');
      const body = JSON.stringify(
        wantsInstruction ? { instruction: question(domain, n), response: answer(domain, n, bad) } : { response: answer(domain, n, bad) },
      );
      return bad ? body.slice(1, -1) : body;
    }
    if (tail.endsWith('INPUT:')) return `${question(domain, n)}\nOUTPUT:\n${answer(domain, n, bad)}\n[END]`;
    if (tail.endsWith('Revised Question:')) return `${question(domain, n)}\nRevised Answer:\n${answer(domain, n, bad)}\n[END]`;
    return `${answer(domain, n, bad)}\n[END]`;
  };
}

export default agoraResponder({ badEvery: 10 });
