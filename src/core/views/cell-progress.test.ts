import { describe, expect, it } from 'vitest';
import { cell, scored } from './test-fixtures.js';
import { cellProgress, formatCellLines } from './cell-progress.js';
import { computeMatrixLayout, windowRows } from './matrix-layout.js';

describe('cell progress', () => {
  it('reads accepted/target, step/total and graded/total by stage', () => {
    expect(cellProgress(cell(1, 'g', 'math/instance', { state: 'running', accepted: 5, progress: { stage: 'generate', accepted: 5, target: 10 } }))).toEqual({
      done: 5,
      total: 10,
      unit: 'accepted',
    });
    expect(cellProgress(cell(1, 'g', 'math/instance', { stage: 'train', state: 'running', progress: { stage: 'train', step: 3, totalSteps: 9 } }))).toEqual({
      done: 3,
      total: 9,
      unit: 'steps',
    });
    expect(cellProgress(cell(1, 'g', 'math/instance', { stage: 'evaluate', state: 'running', progress: { stage: 'evaluate', graded: 7, total: 8 } }))).toEqual({
      done: 7,
      total: 8,
      unit: 'graded',
    });
    expect(cellProgress(cell(1, 'g', 'math/instance', { state: 'failed', accepted: 300 }))).toEqual({ done: 300, total: 10_000, unit: 'accepted' });
    expect(cellProgress(cell(1, 'g', 'math/instance'))).toBeUndefined();
  });

  it('formats both lines to exactly the cell width, richest form first', () => {
    const c = cell(1, 'g', 'math/instance', { state: 'running', accepted: 1200, costUsd: 1.234 });
    expect(formatCellLines(c, 12)).toEqual({ top: '▸G 1.2k/10k ', bottom: '$1.23       ' });
    expect(formatCellLines(c, 6)).toEqual({ top: '▸G 12%', bottom: '$1.23 ' });
    expect(formatCellLines({ ...c, costUsd: 12.345, gpuCostUsd: 100 }, 12).bottom).toBe('$112        ');
    const s = cell(2, 'g', 'math/instance', { ...scored(-12.34), costUsd: 3 });
    expect(formatCellLines(s, 12).top).toBe('✓S -12.3    ');
    // A PGR leaves the cell's last column blank (room for a mark, never touching the next column).
    expect(formatCellLines(s, 6).top).toBe('✓ -12 ');
    expect(formatCellLines(cell(3, 'g', 'math/instance', scored(55.8)), 6).top).toBe('✓S 56 ');
    expect(formatCellLines(cell(3, 'g', 'math/instance', scored(55.8)), 7).top).toBe('✓ 55.8 ');
    expect(formatCellLines(cell(3, 'g', 'math/instance', scored(438.2)), 6).top).toBe('✓ 438 ');
    expect(formatCellLines(cell(3, 'g', 'math/instance', scored(-1234)), 6).top).toBe('✓ -1k ');
    expect(formatCellLines(cell(3, 'g', 'math/instance', scored('no baseline')), 6).top).toBe('✓ n/a ');
  });

  it('shows a finished count whole, dropping the stage letter before cutting the number', () => {
    const done = cell(1, 'g', 'math/instance', { state: 'done', accepted: 10_000, progress: { stage: 'generate', accepted: 10_000, target: 10_000 } });
    expect(formatCellLines(done, 6).top).toBe('✓ 100%');
    expect(formatCellLines(done, 7).top).toBe('✓G 100%');
    expect(formatCellLines(done, 10).top).toBe('✓G 10k/10k');
  });
});

describe('matrix layout', () => {
  it('is compact at 80 columns and still fits nine cells', () => {
    const l = computeMatrixLayout({ width: 80, height: 24, longestName: 17, reservedLines: 6 });
    expect(l.compact).toBe(true);
    expect(l.nameWidth + 12 + 9 * l.cellWidth).toBeLessThanOrEqual(79);
    expect(l.cellWidth).toBeGreaterThanOrEqual(6);
    // 24 rows less one, less 6 reserved, less one header line: 16 lines, 8 generators.
    expect(l.visibleRows).toBe(8);
  });

  it('is wide at 140 columns', () => {
    const l = computeMatrixLayout({ width: 140, height: 40, longestName: 17, reservedLines: 6 });
    expect(l.compact).toBe(false);
    expect(l.headerLines).toBe(2);
    expect(l.nameWidth + 12 + 9 * l.cellWidth).toBeLessThanOrEqual(139);
  });

  it('windows rows around the selection', () => {
    expect(windowRows(0, 20, 7)).toEqual({ start: 0, end: 7 });
    expect(windowRows(10, 20, 7)).toEqual({ start: 7, end: 14 });
    expect(windowRows(19, 20, 7)).toEqual({ start: 13, end: 20 });
    expect(windowRows(3, 5, 7)).toEqual({ start: 0, end: 5 });
  });
});
