import { BENCHMARK_LABEL, type BenchmarkId } from '../setting.js';

export { BENCHMARK_LABEL };

export const BENCHMARK_ORDER: readonly BenchmarkId[] = ['gsm8k', 'math', 'mbpp', 'humaneval', 'alpaca_eval', 'arena_hard'];
