import { describe, expect, it } from 'vitest';
import { allStatesRun } from '../core/views/test-fixtures.js';
import type { RunSnapshot } from '../core/snapshot.js';
import { headlessVerdict } from './headless-verdict.js';

const base = allStatesRun();
const snapshotWith = (state: 'running' | 'done'): RunSnapshot => ({ ...base, cells: [{ ...base.cells[0]!, stage: 'generate', state }] });

describe('headlessVerdict', () => {
  it('a job that ends between the settle check and the read shows as ended: a finished sweep exits 0', () => {
    // The last job ends while the conductor decides it has settled (its worker wrote `done`
    // a moment before): the store then holds a done cell.
    let jobRunning = true;
    const conductor = {
      isSettled: () => {
        jobRunning = false;
        return true;
      },
      stoppedReason: undefined,
    };
    const { verdict } = headlessVerdict(conductor, () => snapshotWith(jobRunning ? 'running' : 'done'), ['generate']);
    expect(verdict).toEqual({ code: 0, line: 'the cell finished generate' });
  });

  it('not settled: no verdict yet; settled with cells left: exit 1 naming their states', () => {
    expect(headlessVerdict({ isSettled: () => false, stoppedReason: undefined }, () => snapshotWith('running'), ['generate']).verdict).toBeUndefined();
    const failed: RunSnapshot = { ...base, cells: [{ ...base.cells[0]!, stage: 'generate', state: 'failed' }] };
    expect(headlessVerdict({ isSettled: () => true, stoppedReason: undefined }, () => failed, ['generate']).verdict).toEqual({
      code: 1,
      line: 'stopped with 1 of 1 cell not finished: 1 failed',
    });
  });

  it('a stopped run ends once nothing runs, and says how to start it again', () => {
    const v = headlessVerdict({ isSettled: () => false, stoppedReason: 'stopped by agora stop at 2026-12-01T10:00:00.000Z' }, () => snapshotWith('done'), [
      'generate',
      'train',
    ]);
    expect(v.verdict?.code).toBe(1);
    expect(v.verdict?.line).toMatch(/stopped by agora stop .* `agora run` starts it again/);
  });
});
