import { afterEach, describe, expect, it } from 'vitest';
import { ALL_SETTINGS, type SettingId } from '../core/setting.js';
import type { CellSnapshot, RunSnapshot } from '../core/snapshot.js';
import { allStatesRun, cell, gen, scored } from './testing/fixtures.js';
import { renderDashboard, type DashboardHarness } from './testing/render-dashboard.js';

let h: DashboardHarness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

const LLAMAS = ['llama-3.1-405b-instruct', 'llama-3.1-70b-instruct', 'llama-3.1-8b-instruct'];

/** Three Llama generators whose ids share their first 10 characters, in the paper's nine settings. */
function llamaRun(cellsOf: (g: string, s: SettingId, i: number) => Partial<CellSnapshot> = () => ({})): RunSnapshot {
  const cells = LLAMAS.flatMap((g, r) => ALL_SETTINGS.map((s, i) => cell(r * 9 + i + 1, g, s, cellsOf(g, s, i))));
  return { ...allStatesRun(), generators: LLAMAS.map((g) => gen(g, [1, 1])), cells };
}

const at80 = (run: RunSnapshot, hint?: string) => renderDashboard(run, { width: 80, height: 30, ...(hint ? { hint } : {}) });

describe('the dashboard at 80 columns', () => {
  it('no line is wider than the terminal', async () => {
    h = await at80(allStatesRun());
    for (const line of h.lines()) expect([...line].length).toBeLessThanOrEqual(79);
  });

  it('a finished generation shows 100%, not a cut 10…', async () => {
    h = await at80(
      llamaRun((_g, _s, i) => (i === 0 ? { state: 'done', accepted: 10_000, progress: { stage: 'generate', accepted: 10_000, target: 10_000 } } : {})),
    );
    const row = h.lines().find((l) => l.includes('│'))!;
    expect(h.frame()).toContain('100%');
    expect(h.frame()).not.toMatch(/10…/);
    expect(row).toBeDefined();
  });

  it('a three-digit PGR keeps a blank (room for a flag) before the next column', async () => {
    h = await at80(llamaRun((_g, _s, i) => (i === 2 ? scored(438.2) : i === 1 ? scored(-12.3) : {})));
    const frame = h.frame();
    expect(frame).toMatch(/438 +│/);
    expect(frame).toMatch(/-12 +/);
    expect(frame).not.toMatch(/\d│/);
  });

  it('long generator ids get short forms that tell them apart', async () => {
    h = await at80(llamaRun());
    const names = h
      .lines()
      .map((l) => /^(\S+)\s+│/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined);
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(3);
    for (const [i, size] of ['405b', '70b', '8b'].entries()) expect(names[i]).toContain(size);
    expect(names.join(' ')).not.toContain('…');
  });

  it('the budget view tells long generator ids apart too', async () => {
    const ids = ['meta-llama/Llama-3.1-405B-Instruct', 'meta-llama/Llama-3.1-70B-Instruct', 'meta-llama/Llama-3.1-8B-Instruct'];
    const run = llamaRun();
    h = await at80({
      ...run,
      generators: ids.map((g) => gen(g, [1, 1], { spentUsd: 12.5 })),
      cells: run.cells.map((c, i) => ({ ...c, generator: ids[Math.floor(i / 9)]! })),
    });
    await h.press('b', (f) => f.includes('$/1k inst'));
    const names = h
      .lines()
      .filter((l) => l.includes('$12.50'))
      .map((l) => l.split(/\s+/)[0]);
    expect(names).toHaveLength(3);
    for (const [i, size] of ['405B', '70B', '8B'].entries()) expect(names[i]).toContain(size);
    for (const l of h.lines()) expect([...l].length).toBeLessThanOrEqual(79);
  });

  it('the results view tells long generator ids apart too', async () => {
    const ids = ['meta-llama/Llama-3.1-405B-Instruct', 'meta-llama/Llama-3.1-70B-Instruct', 'meta-llama/Llama-3.1-8B-Instruct'];
    const run = llamaRun((_g, _s, i) => (i === 0 ? scored(40) : {}));
    h = await at80({ ...run, generators: ids.map((g) => gen(g, [1, 1])), cells: run.cells.map((c, i) => ({ ...c, generator: ids[Math.floor(i / 9)]! })) });
    await h.press('t', (f) => f.includes('Results'));
    const names = h
      .lines()
      .filter((l) => /^\S+\s/.test(l) && ['405', '70', '8'].some((n) => l.includes(n)))
      .map((l) => l.split(/\s+/)[0]!)
      .filter((n) => /\d/.test(n));
    expect(new Set(names).size).toBe(3);
    for (const [i, size] of ['405', '70', '8'].entries()) expect(names[i]).toMatch(new RegExp(`${size}b`, 'i'));
  });

  it('the API-key hint is shown whole, wrapped rather than cut', async () => {
    const hint =
      'No API key for blocked cells: export OPENAI_API_KEY, ANTHROPIC_API_KEY and restart agora.\nOr use a local server: provider openai-compatible, baseURL http://localhost:11434/v1 (Ollama) or :8000/v1 (vLLM).';
    h = await at80(allStatesRun(), hint);
    const text = h.lines().join(' ').replace(/\s+/g, ' ');
    expect(text).toContain('export OPENAI_API_KEY, ANTHROPIC_API_KEY and restart agora.');
    expect(text).toContain(':8000/v1 (vLLM).');
  });

  it('the footer keeps quit and help visible', async () => {
    h = await at80(allStatesRun());
    const last = h
      .lines()
      .filter((l) => l.trim() !== '')
      .at(-1)!;
    expect(last).toContain('q quit');
    expect(last).toContain('? help');
  });
});
