import type { RunSnapshot } from '../snapshot.js';
import { capWarnings } from './cap-warnings.js';
import type { SweepProjection } from './cost-projection.js';
import { etaText, sweepEta } from './sweep-eta.js';

export interface HeaderPace {
  /** `⚠ cap of gpt-4o: 96% used (...)  `, or '' when no cap needs a warning. */
  readonly warnings: string;
  /** `120 inst/min · ETA 13h 51m`. */
  readonly pace: string;
  /** red from 95% of a cap, yellow below. */
  readonly level: 'red' | 'yellow' | undefined;
}

/**
 * The header's third line: cap warnings, most severe first, then the sweep's throughput and
 * ETA, in `width` columns: the pace's short form first, then the warnings', before either is cut.
 */
export function headerPace(run: RunSnapshot, projection: SweepProjection, width: number): HeaderPace {
  const warnings = capWarnings(run, projection);
  const eta = sweepEta(run);
  const level = warnings.some((w) => w.threshold !== undefined && w.threshold >= 95) ? 'red' : warnings.length ? 'yellow' : undefined;
  const warnText = (short: boolean) => (warnings.length ? `⚠ ${warnings.map((w) => (short ? w.short : w.text)).join('; ')}  ` : '');
  let warn = warnText(false);
  let pace = etaText(eta);
  if ([...warn].length + [...pace].length >= width) pace = etaText(eta, true);
  if ([...warn].length + [...pace].length >= width) warn = warnText(true);
  return { warnings: warn, pace, level };
}
