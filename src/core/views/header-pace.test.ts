import { describe, expect, it } from 'vitest';
import type { RunSnapshot } from '../snapshot.js';
import { projectCosts } from './cost-projection.js';
import { headerPace } from './header-pace.js';
import { allStatesRun } from './test-fixtures.js';

/** The demo run with gpt-4o at 96% of a $60 cap and 1,200 instances in the last ten minutes. */
function run(): RunSnapshot {
  const r = allStatesRun();
  return {
    ...r,
    generators: r.generators.map((g) => (g.id === 'gpt-4o' ? { ...g, capUsd: 60, reservedUsd: 4.4 } : g)),
    pace: { recentAccepted: 1200, sinceAt: r.takenAt - 600_000, stageSeconds: {} },
  };
}

describe('headerPace', () => {
  it('gives the warning in full, then the pace, when the width allows', () => {
    const p = headerPace(run(), projectCosts(run()), 200);
    expect(p.warnings).toBe('⚠ cap of gpt-4o: 96% used ($57.63 of $60.00, reserved included) · projected $150.30 passes it  ');
    // 88,800 instances left in running and pending cells at 120 a minute: 740 minutes.
    expect(p.pace).toBe('120 inst/min · generation done in 12h 20m · ETA ? (no train job has finished yet)');
    expect(p.level).toBe('red');
  });

  it('shortens the pace first, then the warnings, to stay within the width', () => {
    const mid = headerPace(run(), projectCosts(run()), 125);
    expect(mid.pace).toBe('120/min gen 12h 20m ETA ?');
    expect(mid.warnings).toContain('cap of gpt-4o: 96% used');
    const narrow = headerPace(run(), projectCosts(run()), 80);
    expect(narrow.warnings).toBe('⚠ gpt-4o 96% of cap  ');
    expect([...narrow.warnings].length + [...narrow.pace].length).toBeLessThan(80);
  });

  it('has no warning and no colour under 80% of every cap', () => {
    const r = allStatesRun();
    expect(headerPace(r, projectCosts(r), 80)).toMatchObject({ warnings: '', level: undefined });
  });
});
