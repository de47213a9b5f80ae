// A student whose skill follows its checkpoint, for a sweep whose cells must differ in PGR: the
// stand-in server started by the evaluate stage reads the checkpoint it serves from
// AGORA_TEST_CHECKPOINT (the serve command sets it from {checkpoint}) and answers the tiny
// benchmarks' first `level` GSM8K items and first level/2 MATH items right (level 0-4).
// Default export: usable with --responder-module.
import type { FakeLlmRequest, FakeResponder } from './fake-llm-server-types.js';

/** The tiny benchmarks' items (student-responder.ts writeTinyBenchmarks): needle, right answer. */
const GSM8K = [
  ['Tom has 3 apples', '#### 5'],
  ['A box holds 4 pens', '#### 12'],
  ['Sara reads 10 pages', '#### 70'],
  ['There are 9 birds', '#### 5'],
] as const;
const MATH = [
  ['What is $2+3$?', '$\\boxed{5}$'],
  ['Compute $\\frac{1}{2}', '$\\boxed{1}$'],
] as const;

/** Scores of a student at `level`: GSM8K level of 4 right, MATH floor(level/2) of 2. */
export function gradedScores(level: number): { gsm8k: number; math: number } {
  return { gsm8k: (100 * level) / 4, math: (100 * Math.floor(level / 2)) / 2 };
}

/** A checkpoint's level: by generator (gen-a 4, gen-b 3, gen-c 2), one less in a meta-prompt variant's cell, two less in a fixed-budget one. */
export function checkpointLevel(checkpoint: string): number {
  const base = checkpoint.includes('gen-a') ? 4 : checkpoint.includes('gen-b') ? 3 : 2;
  const less = checkpoint.includes('@usd') ? 2 : checkpoint.includes('@') ? 1 : 0;
  return Math.max(0, base - less);
}

/** Whether a prompt asks one of the tiny benchmarks' items. */
export function asksTinyBenchmark(prompt: string): boolean {
  return [...GSM8K, ...MATH].some(([needle]) => prompt.includes(needle));
}

export function gradedStudent(level: number): FakeResponder {
  return (req: FakeLlmRequest) => {
    const prompt = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const right = [...GSM8K.slice(0, level), ...MATH.slice(0, Math.floor(level / 2))].find(([needle]) => prompt.includes(needle));
    return right ? right[1] : 'I do not know. #### 0';
  };
}

export default gradedStudent(checkpointLevel(process.env['AGORA_TEST_CHECKPOINT'] ?? ''));
