import { describe, expect, it } from 'vitest';
import { T0, cell, detailFor } from './test-fixtures.js';
import { buildDetailLines, estimateEta } from './detail-lines.js';

describe('detail lines', () => {
  const running = cell(1, 'gpt-4o', 'math/instance', { state: 'running', accepted: 2500, rejected: 35 });
  const detail = detailFor(running, {
    timeline: [{ stage: 'generate', state: 'running', at: T0 }],
    logTail: Array.from({ length: 30 }, (_, i) => `log ${i}`),
  });

  it('estimates generation ETA from the rate since the stage started', () => {
    // 2,500 accepted in 1,000 s: 7,500 more take 3,000 s.
    expect(estimateEta(detail, T0 + 1_000_000)).toBeCloseTo(3000);
    expect(estimateEta({ ...detail, etaSeconds: 12 }, T0)).toBe(12);
  });

  it('fits the height by cutting the log first, keeping its newest lines', () => {
    const lines = buildDetailLines(detail, { width: 100, height: 20, now: T0 + 1_000_000 });
    expect(lines).toHaveLength(20);
    const text = lines.map((l) => l.text);
    expect(text).toContain('  log 29');
    expect(text).not.toContain('  log 0');
    expect(text.some((t) => t.startsWith('Loss (10 points'))).toBe(true);
    expect(text.some((t) => t.includes('ETA 50m 00s'))).toBe(true);
  });

  it('wraps rejection reasons to the width instead of losing them', () => {
    const many = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`reason-number-${i}`, 10 - i]));
    const lines = buildDetailLines({ ...detail, rejectionsByReason: many }, { width: 60, height: 40, now: T0 });
    const reasonLines = lines.filter((l) => l.text.includes('reason-number-'));
    expect(reasonLines.length).toBeGreaterThan(1);
    for (const l of reasonLines) expect(l.text.length).toBeLessThanOrEqual(59);
    expect(reasonLines.map((l) => l.text).join(' ')).toContain('reason-number-7 3');
  });
});
