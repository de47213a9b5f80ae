// A responder for the fake LLM server that answers agora's default meta-prompts the way a
// cooperative generator model would, with every `badEvery`-th reply malformed so that
// rejections are exercised too. Default export: usable with --responder-module.
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

export function agoraResponder(opts: { badEvery?: number } = {}): FakeResponder {
  let counter = 0;
  return (req: FakeLlmRequest) => {
    const n = ++counter + 1;
    const bad = opts.badEvery !== undefined && n % opts.badEvery === 0;
    const prompt = req.messages.map((m) => m.content).join('\n');
    const domain = domainOf(prompt);
    const tail = prompt.trimEnd();
    if (tail.endsWith('INPUT:')) return `${question(domain, n)}\nOUTPUT:\n${answer(domain, n, bad)}\n[END]`;
    if (tail.endsWith('Revised Question:')) return `${question(domain, n)}\nRevised Answer:\n${answer(domain, n, bad)}\n[END]`;
    return `${answer(domain, n, bad)}\n[END]`;
  };
}

export default agoraResponder({ badEvery: 10 });
