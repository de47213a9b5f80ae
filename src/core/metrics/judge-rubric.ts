import type { CompletionRequest } from '../ports.js';
import type { Domain } from '../setting.js';

/**
 * The LLM-judge prompts of the paper's Table 8 judge metrics: instruction difficulty and response
 * quality, each on the paper's 1-5 scale. The judge reasons briefly, then ends with a marker
 * line; temperature 0 so that a rerun of a cell gives the same verdicts where the API allows.
 */

export const SCORE_MARKER = '[SCORE]';

// Room for a few sentences of reasoning and the marker; a judge that runs past it is cut off
// and its verdict reads as missing, not guessed.
const MAX_TOKENS = 512;

const SYSTEM =
  'You are a careful, consistent evaluator of training data for language models. You judge exactly what you are asked to judge and follow the output format exactly.';

const DOMAIN_NAME: Readonly<Record<Domain, string>> = {
  math: 'a math problem',
  code: 'a programming task',
  inst: 'a general instruction to an assistant',
};

const DIFFICULTY_SCALE: Readonly<Record<Domain, readonly string[]>> = {
  math: [
    'one arithmetic step or a fact to recall',
    'a few routine steps, like a grade-school word problem',
    'several steps with a standard technique (algebra, counting, basic probability or geometry)',
    'a competition-style problem that needs a non-obvious idea or careful case analysis',
    'an olympiad-level problem that needs several insights and a long, rigorous argument',
  ],
  code: [
    'a one-liner or a textbook snippet (reverse a string, sum a list)',
    'a short function with a simple loop or condition',
    'a standard algorithm or data structure, with edge cases to get right',
    'a non-trivial algorithm (dynamic programming, graphs) or tight efficiency constraints',
    'a hard algorithmic or design problem that would take a strong programmer careful thought',
  ],
  inst: [
    'a simple factual question or a trivial request, answered in a sentence',
    'an everyday request with a short, straightforward answer',
    'a request that needs some expertise, structure, or several constraints met at once',
    'a request that needs specialised knowledge, multi-part reasoning, or many constraints met at once',
    'an expert-level, open-ended or tightly constrained task that few writers could do well',
  ],
};

const QUALITY_SCALE: readonly string[] = [
  'wrong, off-topic, or ignores the instruction',
  'major errors or omissions; addresses the instruction only in part',
  'mostly right, but with clear errors, gaps, or confusing parts',
  'correct and helpful, with only minor flaws',
  'fully correct, complete, clear, and follows every part of the instruction',
];

const QUALITY_FOCUS: Readonly<Record<Domain, string>> = {
  math: 'Check the reasoning step by step and the final answer yourself. A response whose final answer is wrong scores at most 2.',
  code: 'Check that the code is correct, would run, handles edge cases, and does what the task asks in the form it asks for. Code that fails on ordinary inputs scores at most 2.',
  inst: 'Judge helpfulness, accuracy, and how closely the response follows every constraint of the instruction. Length is not quality: do not reward padding.',
};

function scale(points: readonly string[]): string {
  return points.map((p, i) => `${i + 1}: ${p}`).join('\n');
}

function ending(what: string): string {
  return `Reason briefly (a few sentences at most), then end your answer with one line of the form\n${SCORE_MARKER} n\nwhere n is an integer from 1 to 5 for the ${what}. Write nothing after that line.`;
}

function request(user: string): CompletionRequest {
  return {
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: user },
    ],
    maxTokens: MAX_TOKENS,
    temperature: 0,
  };
}

/** Asks how hard the instruction is to answer well (1 easiest, 5 hardest); the answer is not shown. */
export function difficultyRequest(instruction: string, domain: Domain): CompletionRequest {
  return request(
    [
      `Rate the difficulty of the following instruction, ${DOMAIN_NAME[domain]}: how hard it is for a capable assistant to answer it correctly and completely. Judge the instruction only; do not answer it.`,
      `Scale:\n${scale(DIFFICULTY_SCALE[domain])}`,
      `### Instruction\n${instruction}\n### End of instruction`,
      ending('difficulty'),
    ].join('\n\n'),
  );
}

/** Asks how good the response is as an answer to the instruction (1 worst, 5 best). */
export function qualityRequest(instruction: string, response: string, domain: Domain): CompletionRequest {
  return request(
    [
      `Rate the quality of the response to the following instruction, ${DOMAIN_NAME[domain]}. ${QUALITY_FOCUS[domain]}`,
      `Scale:\n${scale(QUALITY_SCALE)}`,
      `### Instruction\n${instruction}\n### End of instruction`,
      `### Response\n${response}\n### End of response`,
      ending('quality of the response'),
    ].join('\n\n'),
  );
}

const MARKER = /\[SCORE\][ \t]*([^\n]*)/g;

function quote(s: string, max = 60): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}...` : s);
}

/**
 * The judge's score: the integer 1-5 after the last marker (a judge may quote the format while
 * reasoning; its final line is its verdict). Markdown emphasis and a closing period are allowed.
 */
export function parseJudgeScore(text: string): { score: number } | { error: string } {
  const last = [...text.matchAll(MARKER)].at(-1);
  if (last === undefined) {
    const tail = text.trim().slice(-80);
    return { error: tail === '' ? 'the judge answered nothing' : `no "${SCORE_MARKER} n" line in the judge's answer, which ends ${quote(tail, 80)}` };
  }
  const found = (last[1] ?? '').trim();
  const bare = found
    .replace(/\.$/, '')
    .replace(/^\*+|\*+$/g, '')
    .replace(/\.$/, '')
    .trim();
  if (!/^[+-]?\d+(\.\d+)?$/.test(bare)) return { error: `the last ${SCORE_MARKER} marker is followed by ${quote(found)}, not an integer from 1 to 5` };
  const n = Number(bare);
  if (!Number.isInteger(n) || n < 1 || n > 5) return { error: `the last ${SCORE_MARKER} marker gives ${bare}, not an integer from 1 to 5` };
  return { score: n };
}
