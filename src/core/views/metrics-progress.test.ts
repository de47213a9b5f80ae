import { describe, expect, it } from 'vitest';
import { cell } from './test-fixtures.js';
import { cellProgress, formatCellLines } from './cell-progress.js';

describe('a cell in the metrics stage', () => {
  it('shows rows measured of rows needed, with its stage letter', () => {
    const c = cell(1, 'g', 'math/instance', { stage: 'metrics', state: 'running', progress: { stage: 'metrics', done: 120, total: 800 } });
    expect(cellProgress(c)).toEqual({ done: 120, total: 800, unit: 'measured' });
    expect(formatCellLines(c, 12).top).toBe('▸M 120/800  ');
  });

  it('progress of an earlier stage is not read as the metrics stage', () => {
    const c = cell(1, 'g', 'math/instance', { stage: 'metrics', state: 'pending', progress: { stage: 'evaluate', graded: 3, total: 4 } });
    expect(cellProgress(c)).toBeUndefined();
  });
});
