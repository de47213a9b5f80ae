// The generation worker: one OS process per running cell, started by the conductor.
import { createProvider } from '../../adapters/llm/provider-factory.js';
import { promptSetup } from '../../adapters/datasets/official-prompts.js';
import { resolveSeeds } from '../../adapters/datasets/seed-resolver.js';
import { instructionKey } from '../../core/parse/index.js';
import { parseSetting } from '../../core/setting.js';
import { metaPromptVariants, variantBudgetUsd } from '../../core/run-config.js';
import { writeBudgetPrefix } from './budget-prefix.js';
import { countCellCalls } from '../../store/api-call-repo.js';
import { BudgetLedger } from '../../store/budget-ledger.js';
import { InstanceRepo } from '../../store/instance-repo.js';
import { REPO_ROOT, runWorker } from '../worker-runtime.js';
import { seedOptions } from '../seed-options.js';
import { readMeta } from '../../store/run-repo.js';
import { runGenerationLoop, type GenerationOutcome, type LoopContext } from './generation-loop.js';
import { createBatchClient } from '../../adapters/llm/batch-client.js';
import { openBatches, openBatchSeedIndexes } from '../../store/batch-repo.js';
import { runBatchGeneration } from './batch-generation.js';
import { batchSettings } from './batch-settings.js';
import { instanceSource, seededSource } from './task-source.js';
import { cellFiles } from '../../core/run-layout.js';
import { writeTrainFile } from './train-file.js';

await runWorker(process.argv.slice(2), async (w) => {
  const { id: setting, domain, method, variant: cellVariant } = parseSetting(w.cell.setting);
  const budgetUsd = variantBudgetUsd(cellVariant);
  // An ablation cell (math/instance@json) renders its own variant; the others the sweep's main one.
  const variants = metaPromptVariants(w.config.metaPrompt);
  const metaPrompt = cellVariant === undefined || budgetUsd !== undefined ? variants[0]! : variants.find((v) => v === cellVariant);
  if (metaPrompt === undefined) return { kind: 'failed', error: `metaPrompt no longer lists "${cellVariant}" (it lists ${variants.join(', ')})` };
  const generator = w.config.generators.find((g) => g.id === w.cell.generator);
  if (!generator) return { kind: 'failed', error: `generator ${w.cell.generator} is no longer in the config` };
  const seeds = await resolveSeeds(setting, w.config.seeds, seedOptions(w.config, readMeta(w.db, 'config_dir') ?? REPO_ROOT));
  // agora's own prompt files, or the official ones (metaPrompt: official), rendered and parsed in `variant`'s style.
  const { templates, variant } = promptSetup({ ...w.config, metaPrompt }, readMeta(w.db, 'config_dir') ?? REPO_ROOT);
  const instances = new InstanceRepo(w.db);
  if (budgetUsd !== undefined) {
    return writeBudgetPrefix({
      db: w.db,
      instances,
      cellId: w.cell.id,
      generator: w.cell.generator,
      setting,
      budgetUsd,
      trainFile: cellFiles(w.runDir, w.cell).trainData,
      seeds: method === 'instance' ? seeds : [],
      log: w.log,
    });
  }
  const gen = w.config.generation;
  const seed = gen.seed;
  const ctx = { domain, method, variant, seeds, templates, seed, maxTokens: gen.maxTokens };

  // The target was fixed when the run was planned (plan-store.ts); a worker never rewrites it.
  const sampleAccepted = (rng: () => number) => instances.sampleAccepted(w.cell.id, rng);
  // Prompts are numbered by the calls already made, so a restarted worker sends new prompts
  // rather than replaying the ones whose answers are already stored.
  // Requests out in a provider batch (generators[].batch) count too: their items are not asked again.
  const inBatches = openBatchSeedIndexes(w.db, w.cell.id);
  const callsSoFar = countCellCalls(w.db, w.cell.id) + inBatches.count;
  const source =
    method === 'instance'
      ? instanceSource(ctx, sampleAccepted, callsSoFar)
      : seededSource(
          ctx,
          {
            done: new Set([...instances.doneSeedIndexes(w.cell.id), ...inBatches.seedIndexes]),
            // Drops a killed worker left unrecorded are settled first, and counted once.
            dropped: instances.settleDrops(w.cell.id, gen.attemptsPerItem),
            priorAttempts: instances.rejectedSeedAttempts(w.cell.id),
          },
          gen.attemptsPerItem,
        );
  const provider = createProvider(generator, process.env, { stream: generator.stream ?? false });
  provider.setMaxConcurrency(w.job.concurrency ?? generator.concurrency);
  w.onConcurrency((n) => provider.setMaxConcurrency(n));

  const loop: LoopContext = {
    db: w.db,
    ledger: new BudgetLedger(w.db),
    instances,
    provider,
    generator,
    cellId: w.cell.id,
    jobId: w.job.id,
    domain,
    method,
    variant,
    source,
    maxTokens: gen.maxTokens,
    temperature: gen.temperature,
    topP: gen.topP,
    forbiddenKeys: method === 'instance' ? new Set(seeds.map((s) => instructionKey(s.instruction))) : new Set(),
    signal: w.signal,
    log: w.log,
  };
  const batch = () => ({ client: createBatchClient(generator, process.env), ...batchSettings(process.env) });
  let outcome: GenerationOutcome;
  if (generator.batch) outcome = await runBatchGeneration(loop, batch());
  else {
    // Batches sent before the config dropped `batch` are collected first; live calls finish the cell.
    const collected = openBatches(w.db, w.cell.id).length > 0 ? await runBatchGeneration(loop, { ...batch(), collectOnly: true }) : undefined;
    outcome = collected && collected.kind !== 'done' ? collected : await runGenerationLoop(loop);
  }
  if (outcome.kind !== 'done') return outcome;
  const file = cellFiles(w.runDir, w.cell).trainData;
  const n = writeTrainFile(file, instances, w.cell.id, method === 'instance' ? seeds : []);
  w.log(`wrote ${n} training examples to ${file}`);
  return { kind: 'done' };
});
