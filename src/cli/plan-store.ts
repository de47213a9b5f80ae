import path from 'node:path';
import { loadPromptTemplates } from '../adapters/datasets/prompt-files.js';
import { resolveSeeds } from '../adapters/datasets/seed-resolver.js';
import type { SweepConfig } from '../config/schema.js';
import { lengthStats, planCell, sumPlans, type CellPlan } from '../core/plan.js';
import type { SeedItem } from '../core/prompts/types.js';
import { parseSetting, type SettingId } from '../core/setting.js';
import type { Db } from '../store/open-store.js';
import { writeMeta } from '../store/run-repo.js';
import { REPO_ROOT } from '../workers/worker-runtime.js';

export interface PlannedCell {
  readonly generator: string;
  readonly setting: SettingId;
  readonly target: number;
  readonly plan: CellPlan;
}

/** Estimates every cell's cost from its seed set's lengths and the prices; calls no API. */
export async function planSweep(config: SweepConfig): Promise<PlannedCell[]> {
  const templates = loadPromptTemplates(path.join(REPO_ROOT, 'prompts'));
  const seedsBySetting = new Map<SettingId, readonly SeedItem[]>();
  for (const s of config.settings) seedsBySetting.set(s, await resolveSeeds(s, config.seeds, { repoRoot: REPO_ROOT }));
  const out: PlannedCell[] = [];
  for (const g of config.generators) {
    for (const s of config.settings) {
      const { domain, method } = parseSetting(s);
      const seeds = seedsBySetting.get(s) ?? [];
      const template = templates[config.metaPrompt]?.[method]?.[domain] ?? '';
      const target = method === 'instance' ? config.instancesPerCell : Math.min(config.instancesPerCell, seeds.length);
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
  return out;
}

export function storePlan(db: Db, cells: readonly PlannedCell[]): void {
  writeMeta(db, 'plan_json', JSON.stringify(sumPlans(cells.map((c) => c.plan))));
}
