import { BENCHMARK_IDS, BENCHMARK_LABEL, type BenchmarkId } from '../setting.js';

export { BENCHMARK_LABEL };

export const BENCHMARK_ORDER: readonly BenchmarkId[] = BENCHMARK_IDS;
