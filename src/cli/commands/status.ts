import { atProviderText } from '../../core/views/cell-progress.js';
import { formatUsd } from '../../core/views/format.js';
import type { CellSnapshot, RunSnapshot } from '../../core/snapshot.js';
import { SnapshotQuery } from '../../store/snapshot-query.js';
import { flagString, parseArgs, type Io, CONFIG_OPTION, type CommandSpec } from '../args.js';
import { locateRun, openExistingRun } from '../open-run.js';

const STATUS_SPEC: CommandSpec = {
  usage: 'agora status [--json] [--config FILE]',
  summary: "Each cell's stage, state and progress, and the money, read from the run's store.",
  options: { json: { type: 'boolean', help: 'print it as JSON' }, config: CONFIG_OPTION },
};

/** The machine-readable status: stable field names that scripts and papers can rely on. */
export function statusJson(s: RunSnapshot): unknown {
  return {
    name: s.name,
    runDir: s.runDir,
    budgetUsd: s.budgetUsd,
    spentUsd: s.spentUsd,
    reservedUsd: s.reservedUsd,
    // Included in spentUsd: charged at worst case for requests cut off by a crash or abort.
    orphanedUsd: s.orphanedUsd,
    paused: s.paused,
    generators: s.generators.map((g) => ({ id: g.id, spentUsd: g.spentUsd, reservedUsd: g.reservedUsd, orphanedUsd: g.orphanedUsd, capUsd: g.capUsd ?? null })),
    cells: s.cells.map((c) => ({
      generator: c.generator,
      setting: c.setting,
      stage: c.stage,
      state: c.state,
      accepted: c.accepted,
      target: c.target,
      rejected: c.rejected,
      dropped: c.dropped ?? 0,
      costUsd: c.costUsd,
      ...(c.gpuCostUsd ? { gpuCostUsd: c.gpuCostUsd } : {}),
      ...(c.error ? { error: c.error } : {}),
      ...(c.progress?.stage === 'train'
        ? { train: { step: c.progress.step, totalSteps: c.progress.totalSteps, loss: c.progress.loss ?? null, checkpoint: c.progress.checkpoint ?? null } }
        : {}),
      ...(c.progress?.stage === 'evaluate' ? { evaluate: { graded: c.progress.graded, total: c.progress.total } } : {}),
      ...(c.progress?.stage === 'metrics' ? { metrics: { done: c.progress.done, total: c.progress.total } } : {}),
      // Provider batch APIs (generators[].batch): requests out at the provider, done of all.
      ...(c.atProvider ? { batches: c.atProvider } : {}),
      ...(c.scores ? { scores: c.scores } : {}),
    })),
  };
}

function cellText(c: CellSnapshot): string {
  const p = c.progress;
  let progress = '';
  if (p?.stage === 'generate') progress = `${p.accepted}/${p.target}${c.dropped ? ` (${c.dropped} dropped)` : ''}`;
  else if (p?.stage === 'train') progress = `step ${p.step}/${p.totalSteps}`;
  else if (p?.stage === 'evaluate') progress = `${p.graded}/${p.total}`;
  return `${c.stage}:${c.state} ${progress} ${formatUsd(c.costUsd)}`.replace(/\s+/g, ' ').trim();
}

export function statusText(s: RunSnapshot): string {
  const lines = [
    `${s.name}  spent ${formatUsd(s.spentUsd)}  reserved ${formatUsd(s.reservedUsd)}  budget ${formatUsd(s.budgetUsd)}${s.paused ? '  (paused)' : ''}`,
  ];
  if (s.orphanedUsd > 0) {
    lines.push(`  ${formatUsd(s.orphanedUsd)} of it charged at worst case: requests cut off by a crash or cancel (the provider's bill may be lower)`);
  }
  for (const c of s.cells) {
    lines.push(
      `  ${c.generator.padEnd(20)} ${c.setting.padEnd(14)} ${cellText(c)}${c.atProvider ? ` · ${atProviderText(c.atProvider)}` : ''}${c.error ? `  ! ${c.error}` : ''}`,
    );
  }
  return lines.join('\n') + '\n';
}

export async function statusCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, STATUS_SPEC);
  const run = locateRun(io, flagString(args, 'config'));
  const db = openExistingRun(run, { readonly: true });
  try {
    const snap = new SnapshotQuery(db).take({ runDir: run.runDir, readOnly: true });
    io.stdout.write(args.flags.has('json') ? JSON.stringify(statusJson(snap), null, 2) + '\n' : statusText(snap));
    return 0;
  } finally {
    db.close();
  }
}
