import type { BenchmarkId } from '../setting.js';

export const BENCHMARK_LABEL: Readonly<Record<BenchmarkId, string>> = {
  gsm8k: 'GSM8K',
  math: 'MATH',
  mbpp: 'MBPP',
  humaneval: 'HumanEval',
  alpaca_eval: 'AlpacaEval 2.0',
  arena_hard: 'Arena-Hard',
};

export const BENCHMARK_ORDER: readonly BenchmarkId[] = ['gsm8k', 'math', 'mbpp', 'humaneval', 'alpaca_eval', 'arena_hard'];
