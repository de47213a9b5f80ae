import { describe, expect, it } from 'vitest';
import { cell } from './test-fixtures.js';
import { cellProgress, formatCellLines } from './cell-progress.js';

describe('a cell in the metrics stage', () => {
  it('shows rows measured of rows needed, with its stage letter', () => {
    const c = cell(1, 'g', 'math/instance', { stage: 'metrics', state: 'running', progress: { stage: 'metrics', done: 120, total: 800 } });
    expect(cellProgress(c)).toEqual({ done: 120, total: 800, unit: 'measured' });
    expect(formatCellLines(c, 12).top).toBe('▸M 120/800  ');
  });

  it('a scored cell shows its metrics progress while they run, and its PGR again once they are done', () => {
    const scores = { benchmarks: {}, pgrByBenchmark: {}, pgr: { value: 41.5 } };
    const running = cell(1, 'g', 'math/instance', { stage: 'metrics', state: 'running', scores, progress: { stage: 'metrics', done: 3, total: 40 } });
    expect(formatCellLines(running, 12).top).toBe('▸M 3/40     ');
    const done = cell(1, 'g', 'math/instance', { stage: 'metrics', state: 'done', scores, progress: { stage: 'metrics', done: 40, total: 40 } });
    expect(formatCellLines(done, 12).top).toBe('✓M 41.5     ');
  });

  it('progress of an earlier stage is not read as the metrics stage', () => {
    const c = cell(1, 'g', 'math/instance', { stage: 'metrics', state: 'pending', progress: { stage: 'evaluate', graded: 3, total: 4 } });
    expect(cellProgress(c)).toBeUndefined();
  });
});
