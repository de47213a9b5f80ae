import { describe, expect, it } from 'vitest';
import { createLineReporter } from './line-reporter.js';
import { T0, allStatesRun } from './testing/fixtures.js';
import type { RunSnapshot } from '../core/snapshot.js';

function sink() {
  const lines: string[] = [];
  let partial = '';
  const out = {
    write(chunk: string) {
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return { out, lines };
}

const CLOCK = /^\d\d:\d\d:\d\d /;

function withCell(run: RunSnapshot, id: number, patch: object): RunSnapshot {
  return { ...run, cells: run.cells.map((c) => (c.id === id ? { ...c, ...patch } : c)) };
}

describe('line reporter', () => {
  it('on attach prints the run, every non-pending cell and a summary', () => {
    const { out, lines } = sink();
    const run = allStatesRun();
    const r = createLineReporter(out, { now: () => T0 });
    r.update(run);
    const nonPending = run.cells.filter((c) => c.state !== 'pending').length;
    expect(lines).toHaveLength(1 + nonPending + 1);
    expect(lines[0]).toMatch(/agora demo-sweep: 27 cells in \/tmp\/runs\/demo-sweep$/);
    for (const l of lines) expect(l).toMatch(CLOCK);
    expect(lines).toContainEqual(expect.stringMatching(/ gpt-4o math\/instance generate running 1200\/10000 \$1\.23$/));
    expect(lines).toContainEqual(expect.stringMatching(/ gpt-4o math\/response score done pgr 55\.8 \$26\.00$/));
    expect(lines).toContainEqual(expect.stringMatching(/ gpt-4o code\/response generate failed 300\/10000 \$0\.50 error: HTTP 500 from provider$/));
    expect(lines.at(-1)).toMatch(
      /summary: 3 running, 8 pending, 5 done, 8 failed, 1 blocked, 1 budget-exhausted, 1 cancelled · \$90\.23 spent \+ \$4\.00 reserved of \$1,000\.00 budget · – inst\/min · ETA \? \(no train job has finished yet\)$/,
    );
  });

  it('prints one line per stage or state change and nothing for unchanged snapshots or progress alone', () => {
    const { out, lines } = sink();
    let now = T0;
    const r = createLineReporter(out, { now: () => now, summaryEveryMs: 60_000 });
    const run = allStatesRun();
    r.update(run);
    const before = lines.length;
    now += 1000;
    r.update(run);
    r.update({ ...run });
    const progressed = withCell(run, 1, { accepted: 5000, progress: { stage: 'generate', accepted: 5000, target: 10_000 } });
    r.update(progressed);
    expect(lines).toHaveLength(before);

    const trained = withCell(progressed, 1, { stage: 'train', state: 'pending', accepted: 10_000, progress: undefined });
    r.update(trained);
    expect(lines.slice(before)).toEqual([expect.stringMatching(/ gpt-4o math\/instance train pending \$1\.23$/)]);
    const failed = withCell(trained, 9, { state: 'failed', error: 'quota' });
    r.update({ ...failed, paused: true });
    expect(lines.slice(before + 1)).toEqual([
      expect.stringMatching(/ scheduling paused$/),
      expect.stringMatching(/ gpt-4o inst\/quality generate failed 0\/10000 \$0\.00 error: quota$/),
    ]);
  });

  it('prints a summary at most every summaryEveryMs, and one on close', () => {
    const { out, lines } = sink();
    let now = T0;
    const r = createLineReporter(out, { now: () => now, summaryEveryMs: 10_000 });
    const run = allStatesRun();
    const summaries = () => lines.filter((l) => l.includes(' summary: ')).length;
    r.update(run);
    expect(summaries()).toBe(1);
    now += 9_999;
    r.update(run);
    expect(summaries()).toBe(1);
    now += 1;
    r.update(run);
    expect(summaries()).toBe(2);
    r.close();
    expect(summaries()).toBe(3);
    r.update(withCell(run, 9, { state: 'running' }));
    r.close();
    expect(summaries()).toBe(3);
  });
});

describe('line reporter: cap warnings (issue 12)', () => {
  /** One generator with a cap, its one cell finished (nothing projected beyond what is spent). */
  function capped(spent: number, cap: number): RunSnapshot {
    const base = allStatesRun();
    const g = { ...base.generators[0]!, id: 'a', spentUsd: spent, reservedUsd: 0, capUsd: cap };
    const c = { ...base.cells[3]!, generator: 'a', setting: 'math/instance' as const, costUsd: spent };
    return { ...base, spentUsd: spent, reservedUsd: 0, generators: [g], cells: [c] };
  }

  it('prints each threshold crossing once, not every tick nor when reservations dip under it, and again after a raised cap is crossed anew', () => {
    const { out, lines } = sink();
    let now = T0;
    const r = createLineReporter(out, { now: () => now, summaryEveryMs: 1e12 });
    const warnings = () => lines.filter((l) => l.includes(' warning: '));
    // 8.1 -> 7.9 -> 8.2: spent + reserved wobbles around 80% as requests reserve and settle.
    for (const [spent, cap] of [
      [7, 10],
      [8.1, 10],
      [7.9, 10],
      [8.2, 10],
      [8.5, 10],
      [9.6, 10],
      [9.7, 10],
      [9.7, 20],
      [16.2, 20],
      [16.3, 20],
    ] as const) {
      now += 1000;
      r.update(capped(spent, cap));
    }
    expect(warnings().map((l) => l.replace(CLOCK, ''))).toEqual([
      'warning: cap of a: 81% used ($8.10 of $10.00, reserved included)',
      'warning: cap of a: 96% used ($9.60 of $10.00, reserved included)',
      'warning: cap of a: 81% used ($16.20 of $20.00, reserved included)',
    ]);
    // Every cell is finished: there is nothing left to pay for to speak of.
    expect(lines.filter((l) => l.includes('the remaining'))).toHaveLength(0);
  });

  it('says what the money left pays for when a warning is printed and cells still need money', () => {
    const { out, lines } = sink();
    const r = createLineReporter(out, { now: () => T0, summaryEveryMs: 1e12 });
    const run = capped(8.5, 10);
    const pending = {
      ...run.cells[0]!,
      id: 99,
      setting: 'code/instance' as const,
      stage: 'generate' as const,
      state: 'pending' as const,
      accepted: 0,
      target: 100,
      costUsd: 0,
      scores: undefined,
    };
    const done = { ...run.cells[0]!, accepted: 10_000, target: 10_000 };
    r.update({ ...run, cells: [done, pending] });
    // $8.50 for 10,000 instances: 100 more cost $0.085, within the cap's $1.50.
    expect(lines.find((l) => l.includes('the remaining'))?.replace(CLOCK, '')).toBe('the remaining $991.50 finishes the one unfinished cell');
  });
});
