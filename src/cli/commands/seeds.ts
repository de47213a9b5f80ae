import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fetchHfRows, hfCachePath, type HfDatasetRef, type HfFetchOptions } from '../../adapters/datasets/hf-rows.js';
import { HfError } from '../../adapters/datasets/hf-http.js';
import { describeRevision, readSourceRecordSync } from '../../adapters/datasets/hf-source-record.js';
import {
  loadSeedManifest,
  manifestPath,
  missingOptionalSets,
  seedSetDifference,
  type ManifestSet,
  type SeedManifest,
} from '../../adapters/datasets/manifest.js';
import { bundledSeedsDir, displayPath, hfCacheDir, projectRoot, sharedDataDir } from '../../adapters/datasets/paths.js';
import { ALL_SETTINGS, isSettingId, type SettingId } from '../../core/setting.js';
import { loadConfigFile } from '../../config/load-config.js';
import type { SeedSource, SweepConfig } from '../../config/schema.js';
import { flagString, parseArgs, UsageError, type Io, type CommandSpec } from '../args.js';

const SEEDS_SPEC: CommandSpec = {
  usage: 'agora seeds fetch|list [--setting SETTING] [--refresh] [--cache-dir DIR] [--retries N] [--config FILE]',
  summary: "fetch: download the paper-sized seed sets into the cache. list: each setting's seed set and whether it is at hand.",
  options: {
    setting: { type: 'string', value: 'SETTING', help: 'only this setting (e.g. math/response)' },
    refresh: { type: 'boolean', help: 'download again even when cached' },
    'cache-dir': { type: 'string', value: 'DIR', help: 'the cache folder (default: AGORA_CACHE_DIR, else .cache/agora)' },
    retries: { type: 'string', value: 'N', help: 'retries of a failed request' },
    config: { type: 'string', value: 'FILE', help: "fetch: what this sweep config's run reads (its seeds: hf sources, the paper's sets when seedSets: paper)" },
  },
};

type SeedsIo = Pick<Io, 'stdout' | 'stderr'> & Partial<Pick<Io, 'env' | 'cwd'>>;

const USAGE = 'usage: agora seeds list | agora seeds fetch [--setting S[,S...]] [--refresh] [--cache-dir DIR] [--retries N] [--config FILE]';

/**
 * `agora seeds list`: each setting's bundled seed file and the public sets it stands for, and
 * the revision each cached set was read at.
 * `agora seeds fetch`: downloads those sets from the Hugging Face Hub (their parquet files at
 * a commit, recorded beside the cache) into the cache, one line per set; a set that fails (or
 * an unreachable network) does not stop the others, and the bundled seeds keep working.
 * Exit 1 when any set failed.
 */
export async function seedsCommand(argv: readonly string[], io: SeedsIo): Promise<number> {
  const args = parseArgs(argv, SEEDS_SPEC);
  const [sub, ...extra] = args.positional;
  if (extra.length > 0 || (sub !== 'list' && sub !== 'fetch')) throw new UsageError(USAGE);
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const root = projectRoot();
  const manifest = await loadSeedManifest(manifestPath(bundledSeedsDir(root)));
  const settings = selectSettings(flagString(args, 'setting'));
  const cacheFlag = flagString(args, 'cache-dir');
  const cacheDir = cacheFlag ? path.resolve(cwd, cacheFlag) : hfCacheDir(env, cwd);
  if (sub === 'list') return list(manifest, settings, io, { root, cacheDir, cwd });
  const retries = flagString(args, 'retries');
  if (retries !== undefined && !/^\d+$/.test(retries)) throw new UsageError('--retries needs a whole number');
  const configArg = flagString(args, 'config');
  const sets = configArg ? configSets(loadConfigFile(path.resolve(cwd, configArg)), manifest, settings) : manifestSets(manifest, settings);
  return fetchAll(sets, io, { cacheDir, env, refresh: args.flags.has('refresh'), retries: retries === undefined ? undefined : Number(retries) });
}

/** One set to download: a manifest set, or a config's own `seeds:` Hugging Face source. */
interface FetchSet {
  readonly setting: SettingId;
  readonly id: string;
  readonly hf: HfDatasetRef;
  readonly filter?: ManifestSet['filter'];
  readonly limit?: number;
  /** Why it cannot be downloaded, when it cannot. */
  readonly skip?: string;
}

function manifestSets(manifest: SeedManifest, settings: readonly SettingId[]): FetchSet[] {
  return settings.flatMap((setting) =>
    (manifest.settings[setting]?.sets ?? []).map((set) => ({
      setting,
      id: set.id,
      hf: set.hf,
      filter: set.filter,
      limit: set.limit,
      ...(!set.fetch && { skip: set.notes ?? 'no public source' }),
    })),
  );
}

/** What a run of `config` reads from Hugging Face: its own hf seed sources, else the paper's sets when it asks for them. */
function configSets(config: SweepConfig, manifest: SeedManifest, settings: readonly SettingId[]): FetchSet[] {
  return config.settings
    .filter((s) => settings.includes(s))
    .flatMap((setting): FetchSet[] => {
      const own: SeedSource | undefined = config.seeds?.[setting];
      if (own && 'hf' in own)
        return [{ setting, id: 'config', hf: { dataset: own.hf, config: own.config, split: own.split, revision: own.revision }, limit: own.limit }];
      return !own && config.seedSets === 'paper' ? manifestSets(manifest, [setting]) : [];
    });
}

function selectSettings(flag: string | undefined): SettingId[] {
  if (!flag) return [...ALL_SETTINGS];
  return flag.split(',').map((s) => {
    const id = s.trim();
    if (!isSettingId(id)) throw new UsageError(`unknown setting "${id}" (expected <domain>/<method>, e.g. math/instance)`);
    return id;
  });
}

function list(manifest: SeedManifest, settings: SettingId[], io: SeedsIo, ctx: { root: string; cacheDir: string; cwd: string }): number {
  const dataDir = sharedDataDir(ctx.root);
  for (const id of settings) {
    const entry = manifest.settings[id];
    if (!entry) continue;
    const bundled = path.join(bundledSeedsDir(ctx.root), entry.bundled);
    const count = existsSync(bundled) ? countLines(bundled) : 0;
    io.stdout.write(`${id}: bundled ${displayPath(bundled, ctx.cwd)} (${count} items); the paper used ${fmt(entry.paperCount)}\n`);
    io.stdout.write(`  vs the paper: ${entry.paperDifference}\n`);
    for (const set of entry.sets) {
      const hf = `${set.hf.dataset}${set.hf.config ? `/${set.hf.config}` : ''}/${set.hf.split}`;
      const local = set.local ? path.join(dataDir, set.local.path) : undefined;
      const cache = cachePathFor(set, ctx.cacheDir);
      const parts = [
        `hf ${hf}${set.fetch ? '' : set.optional ? ' (not downloadable; optional: left out when absent)' : ' (not downloadable)'}`,
        `paper ${fmt(set.paperCount)}`,
        set.license,
        local ? `local ${existsSync(local) ? displayPath(local, ctx.cwd) : 'absent'}` : undefined,
        existsSync(cache) ? `cached ${fmt(countLines(cache))} rows${cachedRevision(cache)}` : 'not cached',
      ];
      io.stdout.write(`  ${set.id}: ${set.name}: ${parts.filter(Boolean).join('; ')}\n`);
    }
    const difference = seedSetDifference(id, entry, missingOptionalSets(entry, dataDir));
    if (difference) io.stdout.write(`  ${difference}\n`);
  }
  return 0;
}

async function fetchAll(
  sets: readonly FetchSet[],
  io: SeedsIo,
  opts: { cacheDir: string; env: NodeJS.ProcessEnv; refresh: boolean; retries: number | undefined },
): Promise<number> {
  let failed = 0;
  let unreachable: string | undefined;
  const done = new Set<string>();
  if (sets.length === 0) io.stdout.write('nothing to fetch: no Hugging Face set is read by the chosen settings\n');
  for (const set of sets) {
    const id = set.setting;
    const cache = cachePathFor(set, opts.cacheDir);
    if (done.has(cache)) continue;
    done.add(cache);
    if (set.skip) {
      io.stdout.write(`skip ${id} ${set.id}: not downloadable: ${set.skip}\n`);
      continue;
    }
    if (unreachable) {
      failed++;
      io.stdout.write(`fail ${id} ${set.id}: not tried, Hugging Face unreachable (${unreachable})\n`);
      continue;
    }
    try {
      let shown = 0;
      const res = await fetchHfRows(set.hf, {
        ...hfOptions(set, opts.cacheDir),
        env: opts.env,
        refresh: opts.refresh,
        retries: opts.retries,
        onProgress: (p) => {
          if (p.offset - shown < 2000) return;
          shown = p.offset;
          io.stderr.write(`  ${set.id}: ${fmt(p.offset)}${p.total ? ` of ${fmt(p.total)}` : ''} rows read, ${fmt(p.kept)} kept\n`);
        },
      });
      const how = res.fromCache ? 'already cached' : 'downloaded';
      const skipped = res.skippedTruncated ? `, ${res.skippedTruncated} rows left out (served truncated)` : '';
      const from = res.source ? ` (${describeRevision(res.source)})` : ' (revision not recorded)';
      io.stdout.write(`ok   ${id} ${set.id}: ${fmt(res.rows.length)} rows ${how}${from}${skipped} -> ${displayPath(res.cachePath)}\n`);
      if (res.previousRevision)
        io.stdout.write(`     revision changed: the cache held ${res.previousRevision.slice(0, 10)}, the Hub now has ${res.source?.revision.slice(0, 10)}\n`);
      if (res.rows.length === 0) io.stdout.write(`     warning: no rows kept; check the set's filter in seeds/manifest.json\n`);
    } catch (err) {
      failed++;
      if (err instanceof HfError && err.kind === 'network') unreachable = err.message;
      io.stdout.write(`fail ${id} ${set.id}: ${(err as Error).message}\n`);
    }
  }
  if (failed > 0) io.stderr.write(`${failed} set(s) not fetched; runs still work with the bundled seeds or the config's own seed files\n`);
  return failed > 0 ? 1 : 0;
}

function hfOptions(set: Pick<FetchSet, 'filter' | 'limit'>, cacheDir: string): Pick<HfFetchOptions, 'cacheDir' | 'filter' | 'limit'> {
  return { cacheDir, filter: set.filter, limit: set.limit };
}

function cachePathFor(set: Pick<FetchSet, 'hf' | 'filter' | 'limit'>, cacheDir: string): string {
  return hfCachePath(set.hf, hfOptions(set, cacheDir));
}

/** " at <commit>" from the record beside the cache, when there is one. */
function cachedRevision(cache: string): string {
  const r = readSourceRecordSync(cache);
  return r ? ` (${describeRevision(r)})` : '';
}

function countLines(file: string): number {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim()).length;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
