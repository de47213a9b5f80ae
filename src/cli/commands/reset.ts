import fs from 'node:fs';
import { cellFiles } from '../../core/run-layout.js';
import { isSettingId } from '../../core/setting.js';
import { findCell, type CellRow } from '../../store/cell-repo.js';
import type { Db } from '../../store/open-store.js';
import { RESETTABLE_STAGES, ResetRefusedError, resetCellStage, type ResettableStage } from '../../store/reset-repo.js';
import { flagString, parseArgs, UsageError, type Io, CONFIG_OPTION, type CommandSpec } from '../args.js';
import { locateRun, openExistingRun } from '../open-run.js';

const RESET_SPEC: CommandSpec = {
  usage: 'agora reset GENERATOR SETTING --stage generate|train|evaluate|metrics [--config FILE]',
  summary: "Redo a cell from a stage: its later stages' results are cleared; money spent stays counted.",
  options: { stage: { type: 'string', value: 'STAGE', help: 'generate, train, evaluate or metrics' }, config: CONFIG_OPTION },
};

/** The store's reset and the files that go with it; the dashboard's `D` does the same. */
export function resetCell(db: Db, runDir: string, cell: Pick<CellRow, 'id' | 'generator' | 'setting'>, stage: ResettableStage): void {
  resetCellStage(db, cell.id, stage);
  // The trainer resumes from its last checkpoint in this folder: from scratch means without it.
  if (stage === 'generate' || stage === 'train') fs.rmSync(cellFiles(runDir, cell).checkpointDir, { recursive: true, force: true });
}

const USAGE = 'usage: agora reset <generator> <setting> --stage generate|train|evaluate|metrics [--config FILE]';

/**
 * `agora reset`: redoes one cell from a stage, from scratch (a retry resumes instead). Past
 * costs stay in the ledger. Refused, exit 2, while a job of the cell runs.
 */
export async function resetCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, RESET_SPEC);
  const [generator, setting, ...extra] = args.positional;
  if (!generator || !setting || extra.length > 0) throw new UsageError(USAGE);
  const stage = flagString(args, 'stage');
  if (!stage || !(RESETTABLE_STAGES as readonly string[]).includes(stage))
    throw new UsageError(`--stage must be one of ${RESETTABLE_STAGES.join(', ')}\n${USAGE}`);
  if (!isSettingId(setting)) throw new UsageError(`unknown setting "${setting}" (expected <domain>/<method>, e.g. math/instance)`);
  const run = locateRun(io, flagString(args, 'config'));
  const db = openExistingRun(run);
  try {
    const cell = findCell(db, generator, setting);
    if (!cell) throw new UsageError(`no cell ${generator} ${setting} in ${run.runDir}`);
    try {
      resetCell(db, run.runDir, cell, stage as ResettableStage);
    } catch (e) {
      if (e instanceof ResetRefusedError) throw new UsageError(`cannot reset: ${e.message}`);
      throw e;
    }
    io.stdout.write(`${generator} ${setting}: reset to ${stage} (pending); its ${stage} results and later ones were cleared, its past costs kept\n`);
    return 0;
  } finally {
    db.close();
  }
}
