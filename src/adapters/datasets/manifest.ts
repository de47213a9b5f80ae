import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ALL_SETTINGS, isSettingId, type SettingId } from '../../core/setting.js';
import { bundledSeedsDir, displayPath } from './paths.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const rowFilterSchema = z
  .object({
    field: z.string().min(1),
    min: z.number().optional(),
    max: z.number().optional(),
    equals: scalar.optional(),
    in: z.array(scalar).optional(),
    empty: z.boolean().optional(),
  })
  .strict();

const fieldsSchema = z.object({ instruction: z.string().min(1), response: z.string().min(1).optional() }).strict();

export const manifestSetSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    name: z.string().min(1),
    hf: z.object({ dataset: z.string().regex(/^[^/\s]+\/[^/\s]+$/), config: z.string().optional(), split: z.string().min(1) }).strict(),
    /** false when datasets-server cannot serve the set; `agora seeds fetch` says so instead of trying. */
    fetch: z.boolean().default(true),
    /**
     * A set that cannot be had (not downloadable, no local copy) is left out and the setting
     * runs on its other sets, saying how that differs from the paper (xP3x's code rows).
     */
    optional: z.boolean().default(false),
    fields: fieldsSchema,
    filter: z.array(rowFilterSchema).optional(),
    limit: z.number().int().positive().optional(),
    paperCount: z.number().int().nonnegative(),
    license: z.string().min(1),
    /** A copy under ../shared/data; its own fields/filter when its layout differs from the hub's. */
    local: z
      .object({
        path: z.string().min(1),
        format: z.enum(['json', 'jsonl']),
        fields: fieldsSchema.optional(),
        filter: z.array(rowFilterSchema).optional(),
        count: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    notes: z.string().optional(),
  })
  .strict();

const manifestSettingSchema = z
  .object({
    bundled: z.string().regex(/^[a-z]+-[a-z]+\.jsonl$/),
    paperCount: z.number().int().nonnegative(),
    notes: z.string().optional(),
    /** How this setting's seed set differs from the paper's, or that it matches: always shown by `agora seeds list`. */
    paperDifference: z.string().min(1),
    sets: z.array(manifestSetSchema).min(1),
  })
  .strict();

export const seedManifestSchema = z
  .object({
    version: z.literal(1),
    description: z.string().optional(),
    settings: z.record(z.string(), manifestSettingSchema),
  })
  .strict()
  .superRefine((m, ctx) => {
    for (const id of Object.keys(m.settings)) {
      if (!isSettingId(id)) ctx.addIssue({ code: 'custom', path: ['settings', id], message: 'not a setting id' });
    }
    for (const id of ALL_SETTINGS) {
      if (!m.settings[id]) ctx.addIssue({ code: 'custom', path: ['settings'], message: `missing setting ${id}` });
    }
  });

export type SeedManifest = z.infer<typeof seedManifestSchema>;
export type ManifestSetting = SeedManifest['settings'][string];
export type ManifestSet = z.infer<typeof manifestSetSchema>;

export function manifestPath(seedsDir = bundledSeedsDir()): string {
  return path.join(seedsDir, 'manifest.json');
}

export async function loadSeedManifest(file = manifestPath()): Promise<SeedManifest> {
  const shown = displayPath(file);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${shown}: ${(err as Error).message}`);
  }
  const parsed = seedManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${shown}: invalid seed manifest\n  ${issues.join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * How a setting's sets differ from the paper's when `leftOut` are missing, and how to add them:
 * shown by `agora seeds list` and `agora plan`.
 */
export function seedSetDifference(setting: SettingId, entry: ManifestSetting, leftOut: readonly ManifestSet[]): string | undefined {
  if (leftOut.length === 0) return undefined;
  const kept = entry.sets.filter((s) => !leftOut.includes(s));
  const count = kept.reduce((n, s) => n + s.paperCount, 0);
  const fmt = (n: number) => n.toLocaleString('en-US');
  return (
    `differs from the paper: without ${leftOut.map((s) => s.name).join(' and ')} the set is ${kept.map((s) => s.name).join(' + ')}${kept.length === 1 ? ' alone' : ''} ` +
    `(${fmt(count)} of the paper's ${fmt(entry.paperCount)} items). To run the paper's set, write all of ${entry.sets.map((s) => s.name).join(' + ')} ` +
    `to one JSONL file (instruction, response) and name it in the config: seeds: { ${setting}: { path: FILE, instruction: instruction, response: response } }`
  );
}

/** The sets of a setting that are optional and cannot be had (no local copy under `dataDir`, not downloadable). */
export function missingOptionalSets(entry: ManifestSetting, dataDir: string): ManifestSet[] {
  return entry.sets.filter((s) => s.optional && !s.fetch && !(s.local && existsSync(path.join(dataDir, s.local.path))));
}

export function manifestSetting(manifest: SeedManifest, setting: SettingId): ManifestSetting {
  const entry = manifest.settings[setting];
  if (!entry) throw new Error(`seed manifest has no entry for ${setting}`);
  return entry;
}
