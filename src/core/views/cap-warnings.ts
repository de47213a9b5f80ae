import type { RunSnapshot } from '../snapshot.js';
import type { SweepProjection } from './cost-projection.js';
import { formatUsd } from './format.js';

/** Percent of a cap at which the user is warned: early, late, and reached. */
export const CAP_THRESHOLDS = [80, 95, 100] as const;
export type CapThreshold = (typeof CAP_THRESHOLDS)[number];

export interface CapWarning {
  /** `*` for the run budget, else the generator whose cap it is. */
  readonly scope: string;
  /** Highest threshold that spent + reserved has reached; undefined when below 80%. */
  readonly threshold?: CapThreshold;
  /** spent + reserved: what the cap already has to hold. */
  readonly usedUsd: number;
  readonly capUsd: number;
  /** Set when the projection to finish passes the cap. */
  readonly projectedUsd?: number;
  /** `run budget: 96% used ($96.00 of $100.00) · projected $120.00 passes it`. */
  readonly text: string;
  /** For the header: `budget 96%`, `gpt-4o 82% of cap`, `gpt-4o proj. > cap`. */
  readonly short: string;
}

function thresholdOf(used: number, cap: number): CapThreshold | undefined {
  if (!(cap > 0)) return used > 0 ? 100 : undefined;
  const pct = (used / cap) * 100;
  return [...CAP_THRESHOLDS].reverse().find((t) => pct >= t);
}

function warning(scope: string, usedUsd: number, capUsd: number, projected: number | undefined): CapWarning | undefined {
  const threshold = thresholdOf(usedUsd, capUsd);
  const over = projected !== undefined && projected > capUsd + 1e-9 ? projected : undefined;
  if (threshold === undefined && over === undefined) return undefined;
  const name = scope === '*' ? 'run budget' : `cap of ${scope}`;
  const pct = capUsd > 0 ? Math.floor((usedUsd / capUsd) * 100) : 100;
  const used = `${pct}% used (${formatUsd(usedUsd)} of ${formatUsd(capUsd)}, reserved included)`;
  const proj = over !== undefined ? `projected ${formatUsd(over)} passes it` : '';
  const text = `${name}: ${threshold !== undefined ? used : `${formatUsd(usedUsd)} of ${formatUsd(capUsd)} used`}${proj ? ` · ${proj}` : ''}`;
  const who = scope === '*' ? 'budget' : scope;
  const short = threshold !== undefined ? `${who} ${pct}%${scope === '*' ? '' : ' of cap'}` : `${who} proj. > ${scope === '*' ? 'budget' : 'cap'}`;
  return { scope, ...(threshold !== undefined ? { threshold } : {}), usedUsd, capUsd, ...(over !== undefined ? { projectedUsd: over } : {}), text, short };
}

/**
 * Caps that spending (spent + reserved) has brought to 80%, 95% or 100%, and caps the
 * projection to finish passes: the run budget first, then each generator's cap (which, for
 * the judge's generator, holds the judge's calls too). Most severe first.
 */
export function capWarnings(run: RunSnapshot, projection: SweepProjection): CapWarning[] {
  const out: CapWarning[] = [];
  const runWarning = warning('*', run.spentUsd + run.reservedUsd, run.budgetUsd, projection.projectedUsd);
  if (runWarning) out.push(runWarning);
  run.generators.forEach((g, i) => {
    if (g.capUsd === undefined) return;
    const w = warning(g.id, g.spentUsd + g.reservedUsd, g.capUsd, projection.byGenerator[i]?.projectedUsd);
    if (w) out.push(w);
  });
  const rank = (w: CapWarning) => (w.threshold ?? 0) * 2 + (w.projectedUsd !== undefined ? 1 : 0);
  return out.sort((a, b) => rank(b) - rank(a));
}
