import { afterEach, describe, expect, it } from 'vitest';
import type { RunSnapshot } from '../core/snapshot.js';
import { allStatesRun, T0 } from './testing/fixtures.js';
import { renderDashboard, type DashboardHarness } from './testing/render-dashboard.js';

let h: DashboardHarness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

/** The demo run near its caps: gpt-4o at 96% of a $60 cap, the run at 95% of its budget; a measured pace. */
function nearCaps(): RunSnapshot {
  const run = allStatesRun();
  const now = run.takenAt;
  return {
    ...run,
    budgetUsd: 99,
    generators: run.generators.map((g) => (g.id === 'gpt-4o' ? { ...g, capUsd: 60, reservedUsd: 4.4 } : g)),
    pace: {
      recentAccepted: 1200,
      sinceAt: now - 600_000,
      stageSeconds: { train: { meanSeconds: 3600, jobs: 2 }, evaluate: { meanSeconds: 1800, jobs: 2 }, score: { meanSeconds: 60, jobs: 1 } },
      gpuSlots: 4,
    },
  };
}

describe('header: cap warnings, throughput and ETA (issue 12)', () => {
  it('warns at 95% of a cap and shows the pace, within 80 columns', async () => {
    h = await renderDashboard(nearCaps(), { width: 80, height: 30 });
    const lines = h.lines();
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(79);
    const third = lines[2] ?? '';
    // 53.23 + 4.40 of 60 is 96%; 90.23 + 4.00 of 99 is 95%.
    expect(third).toMatch(/^⚠ /);
    expect(third).toContain('gpt-4o 96% of cap');
    expect(third).toContain('budget 95%');
    expect(third).toContain('120/min');
    expect(lines[0]).toContain('agora · demo-sweep');
  });

  it('says the warning in full when there is room', async () => {
    h = await renderDashboard({ ...nearCaps(), budgetUsd: 1000 }, { width: 200, height: 30 });
    expect(h.lines()[2]).toContain('⚠ cap of gpt-4o: 96% used ($57.63 of $60.00, reserved included) · projected $150.30 passes it');
    expect(h.lines()[2]).toContain('120 inst/min · ETA');
  });

  it('has no warning under 80% of every cap, and says when there is no measurement yet', async () => {
    h = await renderDashboard({ ...allStatesRun(), takenAt: T0 }, { width: 120, height: 30 });
    const third = h.lines()[2] ?? '';
    expect(third).not.toContain('⚠');
    expect(third).toContain('– inst/min');
  });
});
