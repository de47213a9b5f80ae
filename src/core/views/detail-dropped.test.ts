import { describe, expect, it } from 'vitest';
import { T0, cell, detailFor } from './test-fixtures.js';
import { buildDetailLines } from './detail-lines.js';

// Issue 9: a response/quality cell that dropped seed items says how many in its detail view.
describe('detail lines: dropped seed items', () => {
  const text = (dropped: number | undefined) =>
    buildDetailLines(
      detailFor(cell(1, 'gpt-4o', 'math/response', { state: 'done', accepted: 22, target: 24, rejected: 31, ...(dropped !== undefined && { dropped }) })),
      {
        width: 120,
        height: 40,
        now: T0,
      },
    ).map((l) => l.text);

  it('shows the dropped count beside accepted and rejected', () => {
    expect(text(2)).toContain('accepted 22/24 · rejected 31 · dropped 2 seed items (every attempt rejected)');
  });

  it('says nothing of drops when there were none', () => {
    expect(text(0)).toContain('accepted 22/24 · rejected 31');
    expect(text(undefined).join('\n')).not.toMatch(/dropped/);
  });
});
