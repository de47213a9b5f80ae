import type { CompletionRequest } from '../ports.js';

/** Arena-Hard v0.1's judge system prompt (`config/judge_config.yaml`, judge gpt-4-1106-preview). */
export const ARENA_JUDGE_SYSTEM =
  "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user prompt displayed below. You will be given assistant A's answer and assistant B's answer. Your job is to evaluate which assistant's answer is better.\n\nBegin your evaluation by generating your own answer to the prompt. You must provide your answers before judging any answers.\n\nWhen evaluating the assistants' answers, compare both assistants' answers with your answer. You must identify and correct any mistakes or inaccurate information.\n\nThen consider if the assistant's answers are helpful, relevant, and concise. Helpful means the answer correctly responds to the prompt or follows the instructions. Note when user prompt has any ambiguity or more than one interpretation, it is more helpful and appropriate to ask for clarifications or more information from the user than providing an answer based on assumptions. Relevant means all parts of the response closely connect or are appropriate to what is being asked. Concise means the response is clear and not verbose or excessive.\n\nThen consider the creativity and novelty of the assistant's answers when needed. Finally, identify any missing important information in the assistants' answers that would be beneficial to include when responding to the user prompt.\n\nAfter providing your explanation, you must output only one of the following choices as your final verdict with a label:\n\n1. Assistant A is significantly better: [[A>>B]]\n2. Assistant A is slightly better: [[A>B]]\n3. Tie, relatively the same: [[A=B]]\n4. Assistant B is slightly better: [[B>A]]\n5. Assistant B is significantly better: [[B>>A]]\n\nExample output: \"My final verdict is tie: [[A=B]]\".";

export type ArenaVerdict = 'A>>B' | 'A>B' | 'A=B' | 'B>A' | 'B>>A';

const VERDICTS = new Set<string>(['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A']);

export function arenaJudgeRequest(question: string, answerA: string, answerB: string): CompletionRequest {
  const user = `<|User Prompt|>\n${question}\n\n<|The Start of Assistant A's Answer|>\n${answerA}\n<|The End of Assistant A's Answer|>\n\n<|The Start of Assistant B's Answer|>\n${answerB}\n<|The End of Assistant B's Answer|>`;
  return {
    messages: [
      { role: 'system', content: ARENA_JUDGE_SYSTEM },
      { role: 'user', content: user },
    ],
    maxTokens: 4096,
    temperature: 0,
  };
}

/** The harness's second attempt: the judgment so far, and a request to finish with a label. */
export function arenaJudgeRetry(first: CompletionRequest, reply: string): CompletionRequest {
  return {
    ...first,
    messages: [
      ...first.messages,
      { role: 'assistant', content: reply },
      { role: 'user', content: 'continue your judgment and finish by outputting a final verdict label' },
    ],
  };
}

export type VerdictParse =
  { readonly kind: 'verdict'; readonly verdict: ArenaVerdict } | { readonly kind: 'none' } | { readonly kind: 'conflict'; readonly labels: readonly string[] };

/**
 * Reads `[[A>B]]`-style labels as arena-hard's `get_score` does: one distinct label is the
 * verdict; none means ask again; several different ones are unparseable (not retried). A
 * single label outside the five (e.g. `[[B<A]]`) is unparseable too, as in the harness.
 */
export function parseArenaVerdict(reply: string): VerdictParse {
  const labels = [...reply.matchAll(/\[\[([AB<>=]+)\]\]/g)].map((m) => m[1] ?? '').filter((l) => l !== '');
  const distinct = [...new Set(labels)];
  if (distinct.length === 0) return { kind: 'none' };
  if (distinct.length > 1) return { kind: 'conflict', labels: distinct };
  const only = distinct[0] ?? '';
  return VERDICTS.has(only) ? { kind: 'verdict', verdict: only as ArenaVerdict } : { kind: 'conflict', labels: distinct };
}
