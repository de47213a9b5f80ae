import { describe, expect, it } from 'vitest';
import type { RunSnapshot } from '../snapshot.js';
import { etaText, sweepEta } from './sweep-eta.js';
import { allStatesRun, cell, gen, T0 } from './test-fixtures.js';

const NOW = T0 + 3_600_000;

/** 600 instances in the last 10 minutes; finished jobs: training 1 h, evaluation 30 min, scoring 10 min; two GPU slots. */
function run(extra: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    ...allStatesRun(),
    takenAt: NOW,
    generators: [gen('a', [1, 1])],
    pace: {
      recentAccepted: 600,
      sinceAt: NOW - 600_000,
      stageSeconds: { train: { meanSeconds: 3600, jobs: 2 }, evaluate: { meanSeconds: 1800, jobs: 2 }, score: { meanSeconds: 600, jobs: 1 } },
      gpuSlots: 2,
    },
    cells: [
      cell(1, 'a', 'math/instance', { state: 'running', accepted: 400, target: 1000 }),
      cell(2, 'a', 'code/instance', {
        stage: 'train',
        state: 'running',
        accepted: 1000,
        target: 1000,
        progress: { stage: 'train', step: 50, totalSteps: 100 },
      }),
      cell(3, 'a', 'inst/instance', {
        stage: 'evaluate',
        state: 'running',
        accepted: 1000,
        target: 1000,
        progress: { stage: 'evaluate', graded: 300, total: 1200 },
      }),
      cell(4, 'a', 'math/response', { state: 'failed', accepted: 10, target: 1000 }),
    ],
    ...extra,
  };
}

describe('sweepEta', () => {
  it('measures instances per minute over the recent window, from the snapshot time', () => {
    expect(sweepEta(run()).instancesPerMin).toBeCloseTo(60);
  });

  it('ends when the last generated cell is scored or the GPU queue drains, whichever is later', () => {
    const e = sweepEta(run());
    // 600 instances at 60/min: 600 s; then one train + evaluate + score: 6,000 s. The failed cell waits for the user.
    expect(e.generationSeconds).toBeCloseTo(600);
    // GPU work: cell 1 6,000 s; cell 2 half a training + 1,800 + 600 = 4,200 s; cell 3 a quarter graded: 1,350 + 600 s; over 2 slots.
    expect(e.gpuSeconds).toBeCloseTo((6000 + 4200 + 1950) / 2);
    expect(e.etaSeconds).toBeCloseTo(6600);
    expect(etaText(e)).toBe('60 inst/min · ETA 1h 50m');
    expect(etaText(e, true)).toBe('60/min ETA 1h 50m');
  });

  it('takes a running training its own ETA', () => {
    const r = run();
    const cells = r.cells.map((c) => (c.id === 2 ? { ...c, progress: { stage: 'train' as const, step: 50, totalSteps: 100, etaSeconds: 9000 } } : c));
    // Cell 2: 9,000 + 1,800 + 600 s; the GPU queue (6,000 + 11,400 + 1,950) / 2 = 9,675 s is now the later.
    expect(sweepEta({ ...r, cells }).etaSeconds).toBeCloseTo(9675);
  });

  it('says which stage it has no measurement of, and still gives generation', () => {
    const r = run();
    const e = sweepEta({ ...r, pace: { ...r.pace!, stageSeconds: { train: { meanSeconds: 3600, jobs: 1 } } } });
    expect(e.etaSeconds).toBeUndefined();
    expect(etaText(e)).toBe('60 inst/min · generation done in 10m 00s · ETA ? (no evaluate job has finished yet)');
    expect(etaText(e, true)).toBe('60/min gen 10m 00s ETA ?');
  });

  it('is idle when nothing runs or waits to run', () => {
    const r = run();
    const e = sweepEta({ ...r, cells: r.cells.map((c) => ({ ...c, state: 'failed' as const })) });
    expect(e).toMatchObject({ idle: true, etaSeconds: 0 });
    expect(etaText(e)).toBe('60 inst/min · nothing running or pending');
  });
});
