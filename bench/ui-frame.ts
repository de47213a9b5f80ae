import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import type { CellSnapshot, RunSnapshot } from '../src/core/snapshot.js';
import { ALL_SETTINGS } from '../src/core/setting.js';
import { Dashboard } from '../src/ui/dashboard.js';
import { FakeSource, allStatesRun, cell, gen, recordActions } from '../src/ui/testing/fixtures.js';

const GENERATORS = 20;
const SELF = fileURLToPath(import.meta.url);

/** 20 generators x 9 settings; a third of the cells running, the rest spread over the other states. */
function sweep(): RunSnapshot {
  const generators = Array.from({ length: GENERATORS }, (_, i) => gen(`generator-${String(i).padStart(2, '0')}`, [1, 4], { spentUsd: 10 + i }));
  const cells: CellSnapshot[] = [];
  generators.forEach((g, gi) =>
    ALL_SETTINGS.forEach((s, si) => {
      const id = gi * 9 + si + 1;
      const k = id % 6;
      if (k < 2)
        cells.push(
          cell(id, g.id, s, { state: 'running', accepted: 100 * k, costUsd: 0.5, progress: { stage: 'generate', accepted: 100 * k, target: 10_000 } }),
        );
      else if (k === 2)
        cells.push(
          cell(id, g.id, s, { stage: 'train', state: 'running', accepted: 10_000, costUsd: 9, progress: { stage: 'train', step: 10, totalSteps: 500 } }),
        );
      else if (k === 3)
        cells.push(
          cell(id, g.id, s, {
            stage: 'score',
            state: 'done',
            accepted: 10_000,
            costUsd: 9,
            scores: { benchmarks: {}, pgrByBenchmark: {}, pgr: { value: 30 + gi } },
          }),
        );
      else if (k === 4) cells.push(cell(id, g.id, s, { state: 'failed', accepted: 50, error: 'boom' }));
      else cells.push(cell(id, g.id, s));
    }),
  );
  return { ...allStatesRun(), generators, cells, spentUsd: 500, budgetUsd: 10_000 };
}

/** Advances the progress of every running cell, as a store poll would. */
function advance(run: RunSnapshot, step: number): RunSnapshot {
  const cells = run.cells.map((c): CellSnapshot => {
    if (c.state !== 'running' || !c.progress) return c;
    if (c.progress.stage === 'generate') {
      const accepted = Math.min(c.target, c.progress.accepted + 37);
      return { ...c, accepted, costUsd: c.costUsd + 0.01, progress: { ...c.progress, accepted } };
    }
    if (c.progress.stage === 'train') return { ...c, progress: { ...c.progress, step: (c.progress.step + 1) % 500 } };
    return c;
  });
  return { ...run, cells, spentUsd: run.spentUsd + 0.3, takenAt: run.takenAt + step * 1000 };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

interface FrameStats {
  mean: number;
  p95: number;
  /** Heap retained per 1,000 frames after a full GC (NaN without --expose-gc). */
  heapKbPer1k: number;
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return Number.NaN;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function measure(width: number, height: number, frames: number): Promise<FrameStats> {
  let run = sweep();
  const source = new FakeSource(run);
  const inst = render(createElement(Dashboard, { source, actions: recordActions(), width, height }));
  const times: number[] = [];
  let heapBefore = Number.NaN;
  let heapAfter = Number.NaN;
  try {
    for (let i = 0; i < frames + 20; i++) {
      if (i === 20) heapBefore = heapAfterGc();
      run = advance(run, i);
      // The testing stdout keeps every frame it is given; a real terminal does not, so the
      // heap figure would otherwise measure that list (frames is the live array).
      inst.frames.length = 0;
      const t0 = performance.now();
      source.set(run);
      // Ink renders a legacy root synchronously; wait anyway if a future version defers it.
      while (inst.frames.length === 0) await new Promise((r) => setImmediate(r));
      const t1 = performance.now();
      if (i >= 20) times.push(t1 - t0);
    }
    heapAfter = heapAfterGc();
  } finally {
    inst.unmount();
  }
  times.sort((a, b) => a - b);
  return {
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    p95: percentile(times, 0.95),
    heapKbPer1k: ((heapAfter - heapBefore) / 1024) * (1000 / frames),
  };
}

async function measureHere(frames: number): Promise<Record<string, number>> {
  const wide = await measure(160, 50, frames);
  const compact = await measure(80, 24, frames);
  return {
    wideMeanMs: wide.mean,
    wideP95Ms: wide.p95,
    wideHeapKbPer1kFrames: wide.heapKbPer1k,
    compactMeanMs: compact.mean,
    compactP95Ms: compact.p95,
    compactHeapKbPer1kFrames: compact.heapKbPer1k,
  };
}

/** React picks its build from NODE_ENV when first loaded, so each mode gets its own process. */
function measureInChild(nodeEnv: 'production' | 'development', frames: number): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, '--child', String(frames)], {
      env: { ...process.env, NODE_ENV: nodeEnv },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ui-frame child (${nodeEnv}) exited with ${code}`));
      try {
        resolve(JSON.parse(out) as Record<string, number>);
      } catch (err) {
        reject(new Error(`ui-frame child (${nodeEnv}) printed no JSON: ${String(err)}`));
      }
    });
  });
}

/**
 * Time to render one frame of a 20 x 9 matrix with live progress (every running cell moves
 * each frame, so no row is skipped by memoisation), from `source.set` to the frame written:
 * React render, Ink layout and output. Wide is 160x50 (all 20 rows), compact 80x24 (paged).
 * Both React builds: the production one (NODE_ENV=production) is what the CLI should run.
 * HeapKbPer1kFrames is what stays after GC: every frame here shows new text, and upstream
 * Ink keeps the measurement (and truncation) of each distinct text for good
 * (vadimdemedes/ink#986); scripts/patch-deps.mjs bounds both caches, so this figure falls
 * as the frame count grows. Frame times are with that script's fast paths in place.
 */
export async function benchUiFrame(opts: { frames?: number } = {}): Promise<Record<string, number>> {
  const frames = opts.frames ?? 100;
  const result: Record<string, number> = { uiFrames: frames };
  for (const [mode, prefix] of [
    ['production', 'uiFrameProd'],
    ['development', 'uiFrameDev'],
  ] as const) {
    const r = await measureInChild(mode, frames);
    for (const [k, v] of Object.entries(r)) result[`${prefix}${k[0]?.toUpperCase()}${k.slice(1)}`] = v;
  }
  return result;
}

if (process.argv[2] === '--child') {
  const frames = Number(process.argv[3] ?? 100);
  process.stdout.write(`${JSON.stringify(await measureHere(frames))}\n`);
} else if (process.argv[1] === SELF) {
  process.stdout.write(`${JSON.stringify(await benchUiFrame(), null, 2)}\n`);
}
