// The student side of evaluation tests: a responder that answers benchmark prompts the way
// a fine-tuned student would (right on some items, wrong on others), a judge responder that
// prefers answers carrying GOOD_MARK, and tiny benchmark files in each public format.
import fs from 'node:fs';
import path from 'node:path';
import type { FakeLlmRequest, FakeResponder } from './fake-llm-server-types.js';

export const GOOD_MARK = 'GOOD-ANSWER';
export const BAD_MARK = 'BAD-ANSWER';

/** What the student server was asked: the prompt and the sampling settings as sent. */
export interface StudentRequestLog {
  readonly prompt: string;
  readonly temperature: number | undefined;
  readonly topP: unknown;
  readonly maxTokens: number | undefined;
  readonly repetitionPenalty: unknown;
}

/**
 * Answers a prompt with the answer of the first needle it contains; `fallback` otherwise.
 * Every request is pushed onto `log`.
 */
export function studentResponder(
  answers: ReadonlyArray<readonly [needle: string, answer: string]>,
  opts: { fallback?: string; log?: StudentRequestLog[] } = {},
): FakeResponder {
  return (req: FakeLlmRequest) => {
    const prompt = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    opts.log?.push({ prompt, temperature: req.temperature, topP: req.body.top_p, maxTokens: req.maxTokens, repetitionPenalty: req.body.repetition_penalty });
    return answers.find(([needle]) => prompt.includes(needle))?.[1] ?? opts.fallback ?? `${BAD_MARK}: I do not know.`;
  };
}

function better(a: string, b: string): 'a' | 'b' | 'tie' {
  if (a.includes(GOOD_MARK) && !b.includes(GOOD_MARK)) return 'a';
  if (b.includes(GOOD_MARK) && !a.includes(GOOD_MARK)) return 'b';
  if (a.includes(BAD_MARK) && !b.includes(BAD_MARK)) return 'b';
  if (b.includes(BAD_MARK) && !a.includes(BAD_MARK)) return 'a';
  return 'tie';
}

/** A judge for AlpacaEval's and Arena-Hard's prompts that prefers the output with GOOD_MARK (or without BAD_MARK). */
export function judgeResponder(): FakeResponder {
  return (req: FakeLlmRequest) => {
    const system = req.messages.find((m) => m.role === 'system')?.content ?? '';
    const user = req.messages.filter((m) => m.role === 'user')[0]?.content ?? '';
    if (system.includes('leaderboard')) {
      const [first = '', second = ''] = user.split('"model_identifier": "M"');
      return better(first, second) === 'b' ? 'M' : 'm';
    }
    const a = user.split("<|The Start of Assistant A's Answer|>")[1]?.split("<|The End of Assistant A's Answer|>")[0] ?? '';
    const b = user.split("<|The Start of Assistant B's Answer|>")[1]?.split("<|The End of Assistant B's Answer|>")[0] ?? '';
    const w = better(a, b);
    return `My own answer first. My final verdict is: ${w === 'a' ? '[[A>>B]]' : w === 'b' ? '[[B>>A]]' : '[[A=B]]'}`;
  };
}

export interface TinyBenchmarks {
  /** evaluate.benchmarks entries pointing at the files. */
  readonly benchmarks: Record<string, { dataFile: string }>;
  /** Needle -> answer: right on half of each benchmark's items, wrong on the rest. */
  readonly answers: ReadonlyArray<readonly [string, string]>;
  /** The student's expected score per benchmark (accuracy / pass@1), for the answer-graded ones. */
  readonly expected: Readonly<Record<'gsm8k' | 'math' | 'mbpp' | 'humaneval', number>>;
}

const jsonl = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Writes a few items of each benchmark, in its public format, under `dir`. */
export function writeTinyBenchmarks(dir: string): TinyBenchmarks {
  fs.mkdirSync(path.join(dir, 'arena'), { recursive: true });
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const gsm8k = file(
    'gsm8k.jsonl',
    jsonl([
      { question: 'Tom has 3 apples and buys 2 more. How many apples does he have?', answer: '3 + 2 = 5\n#### 5' },
      { question: 'A box holds 4 pens. How many pens are in 3 boxes?', answer: '4 * 3 = 12\n#### 12' },
      { question: 'Sara reads 10 pages a day. How many pages does she read in 7 days?', answer: '10 * 7 = 70\n#### 70' },
      { question: 'There are 9 birds and 4 fly away. How many birds remain?', answer: '9 - 4 = 5\n#### 5' },
    ]),
  );
  const math = file(
    'math500.jsonl',
    jsonl([
      { problem: 'What is $2+3$?', solution: '$2+3=\\boxed{5}$', answer: '5', subject: 'Prealgebra', level: 1, unique_id: 'test/prealgebra/1.json' },
      {
        problem: 'Compute $\\frac{1}{2}+\\frac{1}{2}$.',
        solution: '$\\boxed{1}$',
        answer: '1',
        subject: 'Algebra',
        level: 1,
        unique_id: 'test/algebra/2.json',
      },
    ]),
  );
  const mbpp = file(
    'mbpp.jsonl',
    jsonl([
      {
        task_id: 11,
        text: 'Write a function to add two numbers.',
        code: 'def add(a, b):\n    return a + b',
        test_list: ['assert add(1, 2) == 3', 'assert add(0, 0) == 0'],
        test_setup_code: '',
        challenge_test_list: [],
      },
      {
        task_id: 12,
        text: 'Write a function to square a number.',
        code: 'def square(x):\n    return x * x',
        test_list: ['assert square(3) == 9'],
        test_setup_code: '',
        challenge_test_list: [],
      },
    ]),
  );
  const humaneval = file(
    'HumanEval.jsonl',
    jsonl([
      {
        task_id: 'HumanEval/0',
        prompt: 'def inc(x):\n    """Return x plus one."""\n',
        entry_point: 'inc',
        canonical_solution: '    return x + 1\n',
        test: 'def check(candidate):\n    assert candidate(1) == 2\n',
      },
    ]),
  );
  const alpaca = file(
    'alpaca_eval.json',
    JSON.stringify([
      { instruction: 'Say hi to the reader.', output: 'Hello!', generator: 'gpt4_1106_preview', dataset: 'helpful_base' },
      { instruction: 'Name a primary color.', output: 'Blue.', generator: 'gpt4_1106_preview', dataset: 'helpful_base' },
    ]),
  );
  const arena = file(
    'arena/question.jsonl',
    jsonl([
      { question_id: 'q1', category: 'arena-hard-v0.1', cluster: 'greetings', turns: [{ content: 'Explain what a greeting is.' }] },
      { question_id: 'q2', category: 'arena-hard-v0.1', cluster: 'colors', turns: [{ content: 'Explain why the sky is blue.' }] },
    ]),
  );
  file(
    'arena/gpt-4-0314.jsonl',
    jsonl([
      { question_id: 'q1', choices: [{ turns: [{ content: 'A greeting is a polite word.' }] }] },
      { question_id: 'q2', choices: [{ turns: [{ content: 'Rayleigh scattering.' }] }] },
    ]),
  );
  return {
    benchmarks: {
      gsm8k: { dataFile: gsm8k },
      math: { dataFile: math },
      mbpp: { dataFile: mbpp },
      humaneval: { dataFile: humaneval },
      alpaca_eval: { dataFile: alpaca },
      arena_hard: { dataFile: arena },
    },
    answers: [
      ['Tom has 3 apples', 'He has 3 + 2 = 5 apples.\n[RESULT] 5 [/RESULT]'],
      ['A box holds 4 pens', '#### 12'],
      ['Sara reads 10 pages', `${BAD_MARK} #### 17`],
      ['There are 9 birds', `${BAD_MARK} #### 13`],
      ['What is $2+3$?', 'So the answer is $\\boxed{5}$.'],
      ['Compute $\\frac{1}{2}', `${BAD_MARK} $\\boxed{3}$`],
      ['add two numbers', '```python\ndef add(a, b):\n    return a + b\n```'],
      ['square a number', '```python\ndef square(x):\n    return x + x\n```'],
      ['def inc(x)', '```python\ndef inc(x):\n    return x + 1\n```'],
      ['Say hi to the reader.', `${GOOD_MARK} Hi there, reader!`],
      ['Name a primary color.', `${BAD_MARK} dunno`],
      ['what a greeting is', `${GOOD_MARK} A greeting is how people acknowledge each other.`],
      ['why the sky is blue', `${BAD_MARK} no idea`],
    ],
    expected: { gsm8k: 50, math: 50, mbpp: 50, humaneval: 100 },
  };
}
