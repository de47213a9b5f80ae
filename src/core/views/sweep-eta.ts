import type { Stage } from '../cell-state.js';
import type { CellSnapshot, RunSnapshot } from '../snapshot.js';
import { formatCount, formatDuration } from './format.js';
import { instancesLeft } from './generation-rate.js';

export interface SweepEta {
  /** Instances accepted per minute over the recent window; undefined without a measurement. */
  readonly instancesPerMin?: number;
  /** Time left generating at that rate. */
  readonly generationSeconds?: number;
  /** Training, evaluation and scoring left, over the GPU slots. */
  readonly gpuSeconds?: number;
  /** When the cells that run or wait to run are done; undefined with `reason`. */
  readonly etaSeconds?: number;
  readonly reason?: string;
  /** No cell is running or pending. */
  readonly idle: boolean;
}

const AFTER_GENERATION: readonly Stage[] = ['train', 'evaluate', 'score'];

/** Fraction of a running stage still to do, from its progress. */
function leftFraction(c: CellSnapshot): number {
  const p = c.progress;
  if (c.state !== 'running' || !p) return 1;
  if (p.stage === 'train' && p.totalSteps > 0) return Math.max(0, 1 - p.step / p.totalSteps);
  if (p.stage === 'evaluate' && p.total > 0) return Math.max(0, 1 - p.graded / p.total);
  return 1;
}

/**
 * Seconds of a cell's GPU-side stages left (train, evaluate, score) by the mean duration of
 * the jobs of each stage that finished; a running training's own ETA when it reports one.
 * undefined names the stage with no finished job to measure by.
 */
function stagesLeft(c: CellSnapshot, mean: (s: Stage) => number | undefined): { seconds: number } | { missing: Stage } {
  let seconds = 0;
  // The metrics stage holds no GPU slot (its served models are not the GPU queue's): none left.
  if (c.stage === 'metrics') return { seconds };
  const from = c.stage === 'generate' ? 0 : AFTER_GENERATION.indexOf(c.stage);
  for (const s of AFTER_GENERATION.slice(from)) {
    const current = s === c.stage;
    if (current && s === 'train' && c.state === 'running' && c.progress?.stage === 'train' && c.progress.etaSeconds !== undefined) {
      seconds += c.progress.etaSeconds;
      continue;
    }
    const m = mean(s);
    if (m === undefined) return { missing: s };
    seconds += m * (current ? leftFraction(c) : 1);
  }
  return { seconds };
}

/**
 * Throughput and ETA of the sweep's cells that run or wait to run (failed, blocked and
 * stopped cells wait for the user). Generation goes at the recent instances per minute; the
 * GPU stages take their measured mean durations, spread over the GPU slots. The sweep ends
 * when the last cell generated has been trained, evaluated and scored, or when the GPU queue
 * drains, whichever is later. `now` is the snapshot's takenAt: core reads no clock.
 */
export function sweepEta(run: RunSnapshot): SweepEta {
  const pace = run.pace;
  const windowMin = pace ? (run.takenAt - pace.sinceAt) / 60_000 : 0;
  const instancesPerMin = pace && windowMin > 0 ? pace.recentAccepted / windowMin : undefined;
  const active = run.cells.filter((c) => c.state === 'running' || c.state === 'pending');
  if (active.length === 0) return { ...(instancesPerMin !== undefined ? { instancesPerMin } : {}), idle: true, etaSeconds: 0 };
  const rate = instancesPerMin !== undefined ? { instancesPerMin } : {};

  const toGenerate = active.reduce((s, c) => s + instancesLeft(c), 0);
  let generationSeconds: number | undefined = 0;
  if (toGenerate > 0) generationSeconds = instancesPerMin ? (toGenerate / instancesPerMin) * 60 : undefined;

  const mean = (s: Stage) => pace?.stageSeconds[s]?.meanSeconds;
  let gpuWork = 0;
  for (const c of active) {
    const left = stagesLeft(c, mean);
    if ('missing' in left)
      return { ...rate, ...(generationSeconds !== undefined ? { generationSeconds } : {}), reason: `no ${left.missing} job has finished yet`, idle: false };
    gpuWork += left.seconds;
  }
  const gpuSeconds = gpuWork / Math.max(1, pace?.gpuSlots ?? 1);
  if (generationSeconds === undefined) return { ...rate, gpuSeconds, reason: 'no instance accepted in the last minutes', idle: false };
  const tail = toGenerate > 0 ? AFTER_GENERATION.reduce((s, st) => s + (mean(st) ?? 0), 0) : 0;
  return { ...rate, generationSeconds, gpuSeconds, etaSeconds: Math.max(generationSeconds + tail, gpuSeconds), idle: false };
}

/** `84 inst/min · ETA 3h 20m`; short: `84/min ETA 3h 20m`. */
export function etaText(e: SweepEta, short = false): string {
  const rate = e.instancesPerMin !== undefined ? `${formatCount(e.instancesPerMin)}${short ? '/min' : ' inst/min'}` : `–${short ? '/min' : ' inst/min'}`;
  if (e.idle) return `${rate}${short ? '' : ' · nothing running or pending'}`;
  if (e.etaSeconds !== undefined) return `${rate}${short ? ' ' : ' · '}ETA ${formatDuration(e.etaSeconds)}`;
  const gen =
    e.generationSeconds !== undefined && e.generationSeconds > 0 ? `${short ? ' gen ' : ' · generation done in '}${formatDuration(e.generationSeconds)}` : '';
  return `${rate}${gen}${short ? ' ETA ?' : ` · ETA ? (${e.reason ?? 'not measured yet'})`}`;
}
