import { promptSetup } from '../adapters/datasets/official-prompts.js';
import { resolveSeedSet, resolveSeeds } from '../adapters/datasets/seed-resolver.js';
import { HfError } from '../adapters/datasets/hf-http.js';
import { SeedDataError } from '../adapters/datasets/row-file.js';
import { seedOptions } from '../workers/seed-options.js';
import type { SweepConfig } from '../config/schema.js';
import { lengthStats, planCell, sumPlans, type CellPlan } from '../core/plan.js';
import type { SeedItem } from '../core/prompts/types.js';
import { parseSetting, type SettingId } from '../core/setting.js';
import type { Db } from '../store/open-store.js';
import { applyPlannedTargets, writeMeta } from '../store/run-repo.js';

export interface PlannedCell {
  readonly generator: string;
  readonly setting: SettingId;
  readonly target: number;
  readonly plan: CellPlan;
}

/** Estimates every cell's cost from its seed set's lengths and the prices; calls no API. */
export interface SweepPlan {
  readonly cells: PlannedCell[];
  /** Settings whose paper-sized seed set is not at hand (not downloaded, not downloadable). */
  readonly unavailable: ReadonlyMap<SettingId, string>;
  /** Settings that run on less than the paper's seed set (an optional set cannot be had): how, and how to add it. */
  readonly seedNotes: ReadonlyMap<SettingId, string>;
}

/**
 * Estimates every cell's cost from its seed set's lengths and the prices; calls no LLM API.
 * A bad seed file is an error (SeedDataError); a full seed set that cannot be had is
 * reported per setting, planned from the bundled set, and its cells are blocked.
 */
export async function planSweep(config: SweepConfig, configDir: string): Promise<SweepPlan> {
  const { templates, variant } = promptSetup(config, configDir);
  const seedsBySetting = new Map<SettingId, readonly SeedItem[]>();
  const unavailable = new Map<SettingId, string>();
  const seedNotes = new Map<SettingId, string>();
  const opts = seedOptions(config, configDir);
  for (const s of config.settings) {
    try {
      const set = await resolveSeedSet(s, config.seeds, opts);
      seedsBySetting.set(s, set.items);
      if (set.difference) seedNotes.set(s, set.difference);
    } catch (e) {
      if (!opts.full || config.seeds?.[s] || !(e instanceof HfError || e instanceof SeedDataError)) throw e;
      unavailable.set(s, `the paper's seed set is not at hand (${(e as Error).message}); run \`agora seeds fetch\``);
      seedsBySetting.set(s, await resolveSeeds(s, config.seeds, { ...opts, full: false }));
    }
  }
  const out: PlannedCell[] = [];
  for (const g of config.generators) {
    for (const s of config.settings) {
      const { domain, method } = parseSetting(s);
      const seeds = seedsBySetting.get(s) ?? [];
      const template = templates[variant]?.[method]?.[domain] ?? '';
      // A missing paper-sized set is planned at full size, not at the bundled set's.
      const target = method === 'instance' || unavailable.has(s) ? config.instancesPerCell : Math.min(config.instancesPerCell, seeds.length);
      out.push({
        generator: g.id,
        setting: s,
        target,
        plan: planCell({
          method,
          target,
          templateChars: template.replace(/\{\{[^}]*\}\}/g, '').length,
          seeds: lengthStats(seeds),
          price: g.price,
          maxTokens: config.generation.maxTokens,
        }),
      });
    }
  }
  return { cells: out, unavailable, seedNotes };
}

/** The plan's cost, and its targets for the cells that have not started (see applyPlannedTargets). */
export function storePlan(db: Db, plan: SweepPlan): void {
  writeMeta(db, 'plan_json', JSON.stringify(sumPlans(plan.cells.map((c) => c.plan))));
  applyPlannedTargets(db, plan.cells);
}
