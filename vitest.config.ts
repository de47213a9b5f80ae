import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    // Worker processes, SQLite files and child processes: forks isolate native state best.
    pool: 'forks',
    // Generous: end-to-end tests start real processes on a shared 2-core machine; the limit
    // only catches hangs, nothing asserts wall time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The machine has 2 cores; tests spawn processes of their own.
    maxWorkers: 2,
  },
});
