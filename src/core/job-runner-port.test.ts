import { describe, expect, it } from 'vitest';
import { isFinished, parseJobHandle, serializeJobHandle, type JobHandle } from './job-runner-port.js';

describe('job handles', () => {
  const h: JobHandle = { runner: 'slurm', id: '812', startedAt: 1_700_000_000_000, logFile: '/l', progressFile: '/p', exitFile: '/l.exit' };

  it('round-trip through JSON', () => {
    expect(parseJobHandle(serializeJobHandle(h))).toEqual(h);
  });

  it('know which states are final', () => {
    expect(['pending', 'running', 'done', 'failed', 'cancelled'].filter((s) => isFinished(s as never))).toEqual(['done', 'failed', 'cancelled']);
  });

  it('reject a broken one with the field named', () => {
    expect(() => parseJobHandle('{')).toThrow(/not JSON/);
    expect(() => parseJobHandle(JSON.stringify({ ...h, runner: 'k8s' }))).toThrow(/runner must be local or slurm/);
    expect(() => parseJobHandle(JSON.stringify({ ...h, exitFile: '' }))).toThrow(/exitFile/);
    expect(() => parseJobHandle(JSON.stringify({ ...h, startedAt: 'yesterday' }))).toThrow(/startedAt/);
  });
});
