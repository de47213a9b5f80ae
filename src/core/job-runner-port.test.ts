import { describe, expect, it } from 'vitest';
import { isFinished } from './job-runner-port.js';

describe('job states', () => {
  it('know which states are final', () => {
    expect(['pending', 'running', 'done', 'failed', 'cancelled'].filter((s) => isFinished(s as never))).toEqual(['done', 'failed', 'cancelled']);
  });
});
