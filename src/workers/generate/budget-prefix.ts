import { budgetShare } from '../../core/analysis/fixed-budget.js';
import { nanoToUsd } from '../../core/cost.js';
import type { SeedItem } from '../../core/prompts/types.js';
import { mainCellData, setBudgetCellCounts } from '../../store/budget-cell-repo.js';
import type { InstanceRepo } from '../../store/instance-repo.js';
import { writeTransaction, type Db } from '../../store/open-store.js';
import { writeTrainFile } from './train-file.js';

export interface BudgetPrefixJob {
  readonly db: Db;
  readonly instances: InstanceRepo;
  readonly cellId: number;
  readonly generator: string;
  /** The main cell's setting (the plain one). */
  readonly setting: string;
  readonly budgetUsd: number;
  readonly trainFile: string;
  /** Seed items the method always trains on (instance generation); they are not bought. */
  readonly seeds: readonly SeedItem[];
  readonly log: (line: string) => void;
}

/**
 * A fixed-budget cell's "generation" (the paper's Figure 7): the first instances of its main
 * cell that the budget buys at the price the main cell's generation measured (its spend,
 * rejected and retried calls included, over what it accepted), written as this cell's training
 * file. No API call: the data was already bought once.
 */
export function writeBudgetPrefix(job: BudgetPrefixJob): { kind: 'done' } | { kind: 'failed'; error: string } {
  const main = mainCellData(job.db, job.generator, job.setting);
  if (!main) return { kind: 'failed', error: `no main cell ${job.generator} ${job.setting} to take a $${job.budgetUsd} prefix of` };
  if (main.stage === 'generate' && main.state !== 'done')
    return { kind: 'failed', error: `${job.generator} ${job.setting} has not finished generating (${main.state}); its price per instance is not known yet` };
  let share;
  try {
    share = budgetShare(job.budgetUsd, { generator: job.generator, spentUsd: nanoToUsd(main.generationNano), accepted: main.accepted });
  } catch (e) {
    return { kind: 'failed', error: (e as Error).message };
  }
  const n = writeTrainFile(job.trainFile, job.instances, main.cellId, job.seeds, share.prefixSize);
  writeTransaction(job.db, () => setBudgetCellCounts(job.db, job.cellId, share.prefixSize));
  const price = `$${share.costPerInstance.toPrecision(3)} an instance`;
  job.log(
    `$${job.budgetUsd} buys ${share.prefixSize} of ${main.accepted} instances of ${job.generator} ${job.setting} at ${price}` +
      `${share.limitedByData ? ` (it would buy ${Number.isFinite(share.affordable) ? share.affordable : 'any number'}: the cell holds fewer, so this PGR is a floor)` : ''}; wrote ${n} training examples to ${job.trainFile}`,
  );
  return { kind: 'done' };
}
