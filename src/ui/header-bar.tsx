import { Box, Text } from 'ink';
import { CELL_STATES } from '../core/cell-state.js';
import type { RunSnapshot } from '../core/snapshot.js';
import { STATE_STYLE } from '../core/views/cell-style.js';
import type { SweepProjection } from '../core/views/cost-projection.js';
import { headerPace } from '../core/views/header-pace.js';
import { formatUsd } from '../core/views/format.js';
import { budgetBar, countByState, formatSpend, formatStateCounts } from '../core/views/state-counts.js';
import { paint } from './color.js';

export interface HeaderBarProps {
  readonly run: RunSnapshot;
  readonly projection: SweepProjection;
  readonly width: number;
  readonly noColor?: boolean;
  /** The shared spinner frame while cells run (undefined: still). */
  readonly spin?: string | undefined;
}

export const HEADER_LINES = 3;

export function projectionText(p: SweepProjection, run: RunSnapshot, short = false): string {
  const gpu = p.gpuUsd + (p.remainingGpuUsd ?? 0);
  const gpuText = gpu > 0 && !short ? ` + ${formatUsd(gpu)} GPU` : '';
  if (p.basis === 'measured' && p.projectedUsd !== undefined) {
    const rate = p.costPerInstance !== undefined && !short ? ` at ${formatUsd(p.costPerInstance * 1000)}/1k inst` : '';
    // A stage with no basis yet (say, the judge before any plan or measurement) is left out: a lower bound.
    return `projected ${p.missing.length > 0 ? '≥' : ''}${formatUsd(p.projectedUsd)}${rate}${gpuText}`;
  }
  const planned = p.planned ?? run.plannedUsd;
  if (p.basis === 'planned' && planned) {
    const { low, expected, high } = planned;
    return `planned ${formatUsd(expected)}${short ? '' : ` (${formatUsd(low)}–${formatUsd(high)})`}${gpuText}`;
  }
  return short ? 'no projection yet' : 'projection: nothing spent yet';
}

/** Run name, cell counts, markers; money: spent / reserved / budget with a bar and the projection; cap warnings, throughput and ETA. */
export function HeaderBar({ run, projection, width, noColor, spin }: HeaderBarProps) {
  const counts = countByState(run.cells);
  const markers = `${run.paused ? '  [PAUSED]' : ''}${run.readOnly ? '  [READ-ONLY]' : ''}`;
  const title = `agora · ${run.name}  `;
  const spinnerWidth = counts.running > 0 ? 2 : 0;
  let countText = formatStateCounts(counts);
  if (title.length + spinnerWidth + countText.length + markers.length >= width) {
    // Narrow terminals get the glyph form: `▸3 ·8 ✓5 ✗8`.
    countText = CELL_STATES.filter((s) => counts[s] > 0)
      .map((s) => `${STATE_STYLE[s].glyph}${counts[s]}`)
      .join(' ');
  }

  const pct = run.budgetUsd > 0 ? ` ${((run.spentUsd / run.budgetUsd) * 100).toFixed(1)}%` : '';
  const wideBar = Math.max(10, Math.min(30, Math.floor(width / 5)));
  let spend = formatSpend(run);
  let proj = projectionText(projection, run);
  let bar = wideBar;
  if (spend.length + bar + pct.length + proj.length + 4 >= width) {
    proj = projectionText(projection, run, true);
    bar = 10;
    const reserved = run.reservedUsd > 0 ? ` +${formatUsd(run.reservedUsd)} res.` : '';
    spend = `${formatUsd(run.spentUsd)}${reserved} of ${formatUsd(run.budgetUsd)}`;
  }
  const overBudget = projection.projectedUsd !== undefined && projection.projectedUsd > run.budgetUsd;
  const third = headerPace(run, projection, width);
  return (
    <>
      <Box>
        {counts.running > 0 ? (
          <Box width={2} flexShrink={0}>
            <Text color={paint(noColor, 'cyan')}>{spin ?? STATE_STYLE.running.glyph}</Text>
          </Box>
        ) : null}
        <Text wrap="truncate-end">
          <Text bold>{title}</Text>
          {countText}
          {run.paused ? (
            <Text color={paint(noColor, 'yellow')} bold>
              {'  [PAUSED]'}
            </Text>
          ) : null}
          {run.readOnly ? (
            <Text color={paint(noColor, 'magenta')} bold>
              {'  [READ-ONLY]'}
            </Text>
          ) : null}
        </Text>
      </Box>
      <Text wrap="truncate-end">
        {spend} <Text color={paint(noColor, 'green')}>{budgetBar(run, bar)}</Text>
        {pct}
        {' · '}
        <Text color={paint(noColor, overBudget ? 'red' : undefined)}>{proj}</Text>
      </Text>
      <Text wrap="truncate-end">
        {third.warnings ? (
          <Text color={paint(noColor, third.level)} bold>
            {third.warnings}
          </Text>
        ) : null}
        <Text dimColor>{third.pace}</Text>
      </Text>
    </>
  );
}
