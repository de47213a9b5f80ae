import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    // Worker processes, SQLite files and child processes: forks isolate native state best.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The machine has 2 cores; tests spawn processes of their own.
    maxWorkers: 2,
  },
});
