import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SeedSource } from '../../config/schema.js';
import type { SeedItem } from '../../core/prompts/types.js';
import { parseSetting, type SettingId } from '../../core/setting.js';
import type { HfFetchOptions } from './hf-rows.js';
import { describeSource, loadSeedItems, type SeedSourceSpec } from './load-seeds.js';
import { loadSeedManifest, manifestPath, manifestSetting, missingOptionalSets, seedSetDifference, type ManifestSet } from './manifest.js';
import { bundledSeedsDir, sharedDataDir } from './paths.js';
import { SeedDataError } from './row-file.js';

export type SeedOrigin = 'config' | 'full' | 'bundled';

export interface ResolvedSeeds {
  readonly items: SeedItem[];
  readonly origin: SeedOrigin;
  /** Where they came from, for logs and the run record. */
  readonly description: string;
  /** Optional sets of the paper's that could not be had, each with the reason. */
  readonly leftOut?: readonly string[];
  /** How the set differs from the paper's, and how to add what is missing (see seedSetDifference). */
  readonly difference?: string;
}

export interface ResolveSeedsOptions {
  /** Folder that relative config paths are resolved from (the config file's); default: the working folder. */
  readonly baseDir?: string;
  /** Project root: its seeds/ holds the bundled files, ../shared/data the local copies. Default: this checkout. */
  readonly repoRoot?: string;
  readonly seedsDir?: string;
  /** Use the manifest's full public sets (local copy, else download with cache) instead of the bundled file. */
  readonly full?: boolean;
  /** Where local copies of the full sets may be; default ../shared/data. */
  readonly dataDir?: string;
  readonly hf?: HfFetchOptions;
  /** Bring responses to the domain's conventions; default true. */
  readonly normalize?: boolean;
}

type ConfigSeeds = Readonly<Partial<Record<SettingId, SeedSource>>> | undefined;

/** The seed items for a setting; see resolveSeedSet for where they come from. */
export async function resolveSeeds(setting: SettingId, configSeeds: ConfigSeeds, opts: ResolveSeedsOptions = {}): Promise<SeedItem[]> {
  return (await resolveSeedSet(setting, configSeeds, opts)).items;
}

/** The config's source for the setting when it names one, else the full sets when asked, else the bundled file. */
export async function resolveSeedSet(setting: SettingId, configSeeds: ConfigSeeds, opts: ResolveSeedsOptions = {}): Promise<ResolvedSeeds> {
  const { domain, method } = parseSetting(setting);
  const load = { normalize: opts.normalize === false ? undefined : domain, requireResponse: method !== 'response', hf: opts.hf };
  const seedsDir = opts.seedsDir ?? bundledSeedsDir(opts.repoRoot);
  const configured = configSeeds?.[setting];
  let resolved: ResolvedSeeds;
  if (configured) {
    const items = await loadSeedItems(configured, { ...load, baseDir: opts.baseDir });
    resolved = { items, origin: 'config', description: describeSource(configured) };
  } else if (opts.full) {
    const manifest = await loadSeedManifest(manifestPath(seedsDir));
    const dataDir = opts.dataDir ?? sharedDataDir(opts.repoRoot);
    const entry = manifestSetting(manifest, setting);
    const missing = missingOptionalSets(entry, dataDir);
    const items: SeedItem[] = [];
    const parts: string[] = [];
    for (const set of entry.sets.filter((s) => !missing.includes(s))) {
      const { source, where } = fullSetSource(set, dataDir);
      items.push(...(await loadSeedItems(source, load)));
      parts.push(`${set.name} (${where})`);
    }
    const without = missing.length ? `; without ${missing.map((s) => s.name).join(' and ')}` : '';
    const difference = seedSetDifference(setting, entry, missing);
    resolved = {
      items,
      origin: 'full',
      description: parts.join(' + ') + without,
      ...(missing.length && { leftOut: missing.map((s) => `${s.name}: cannot be downloaded (${s.notes ?? 'no public source'})`) }),
      ...(difference && { difference }),
    };
  } else {
    const manifest = await loadSeedManifest(manifestPath(seedsDir));
    const file = path.join(seedsDir, manifestSetting(manifest, setting).bundled);
    const source: SeedSourceSpec = { path: file, format: 'jsonl', instruction: 'instruction', ...(method === 'response' ? {} : { response: 'response' }) };
    resolved = { items: await loadSeedItems(source, load), origin: 'bundled', description: `bundled ${path.basename(file)}` };
  }
  const needed = method === 'instance' ? 2 : 1;
  if (resolved.items.length < needed) {
    throw new SeedDataError(`${setting}: ${resolved.description} gives ${resolved.items.length} seed item(s), at least ${needed} needed`);
  }
  return resolved;
}

/** A manifest set as a loadable source: its local copy when present, else its Hugging Face split. */
export function fullSetSource(set: ManifestSet, dataDir: string): { source: SeedSourceSpec; where: string } {
  if (set.local && existsSync(path.join(dataDir, set.local.path))) {
    const fields = set.local.fields ?? set.fields;
    const source: SeedSourceSpec = {
      path: path.join(dataDir, set.local.path),
      format: set.local.format,
      ...fields,
      filter: set.local.filter ?? set.filter,
      limit: set.limit,
    };
    return { source, where: path.join(dataDir, set.local.path) };
  }
  if (!set.fetch) throw new SeedDataError(`seed set ${set.id} (${set.name}) cannot be downloaded: ${set.notes ?? 'no public source'}`);
  const { dataset, config, split } = set.hf;
  const source: SeedSourceSpec = { hf: dataset, config, split, ...set.fields, filter: set.filter, limit: set.limit };
  return { source, where: `hf:${dataset}` };
}
