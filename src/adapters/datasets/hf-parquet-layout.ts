/**
 * Which parquet files of a Hub revision hold one split: the repository's own files (the
 * README's `configs:` data_files, or push_to_hub's `data/<split>-*.parquet`), or the files of
 * the parquet conversion datasets-server writes to the `refs/convert/parquet` branch
 * (`<config>/<split>/0000.parquet`, `<config>/partial-<split>/...` when it converted only the
 * first part of a big split).
 */

export interface HubSibling {
  readonly rfilename: string;
  readonly size?: number;
  readonly lfs?: { readonly sha256?: string; readonly size?: number };
}

/** The Hub's answer to GET /api/datasets/<id>/revision/<rev>?blobs=true, the parts read. */
export interface RevisionInfo {
  readonly sha: string;
  readonly siblings: readonly HubSibling[];
  readonly cardData?: { readonly configs?: unknown };
}

export interface ParquetFile {
  readonly path: string;
  /** From the listing: a download of another length is cut short. */
  readonly size?: number;
  /** The LFS object id: a download with another digest is not the file. */
  readonly sha256?: string;
}

export type SplitFiles =
  | { readonly kind: 'files'; readonly config: string; readonly files: readonly ParquetFile[]; readonly partial: boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly configs: readonly string[] };

/** The repository's own parquet files for the split (none when its data is another format). */
export function ownParquetFiles(info: RevisionInfo, config: string | undefined, split: string): SplitFiles {
  const declared = cardConfigs(info.cardData?.configs);
  if (declared.size > 0) {
    const name = pickConfig(
      [...declared].filter(([, splits]) => splits.has(split)).map(([c]) => c),
      config,
    );
    if (typeof name !== 'string') return name;
    const patterns = declared.get(name)?.get(split) ?? [];
    const res = patterns.map(globRegex);
    const matched = info.siblings.filter((s) => res.some((re) => re.test(s.rfilename)));
    if (matched.length === 0 || !matched.every((s) => s.rfilename.endsWith('.parquet'))) return { kind: 'none' };
    return { kind: 'files', config: name, files: toFiles(matched), partial: false };
  }
  if (config !== undefined && config !== 'default') return { kind: 'none' };
  const re = new RegExp(`^(?:data/)?${escape(split)}(?:[-_.][^/]*)?\\.parquet$|^(?:data/)?${escape(split)}/[^/]+\\.parquet$`);
  const matched = info.siblings.filter((s) => re.test(s.rfilename));
  return matched.length ? { kind: 'files', config: 'default', files: toFiles(matched), partial: false } : { kind: 'none' };
}

/** The files of datasets-server's conversion (a revision of the refs/convert/parquet branch). */
export function convertedParquetFiles(info: RevisionInfo, config: string | undefined, split: string): SplitFiles {
  const byConfig = new Map<string, { whole: HubSibling[]; partial: HubSibling[] }>();
  for (const s of info.siblings) {
    const m = /^([^/]+)\/(partial-)?([^/]+)\/\d+\.parquet$/.exec(s.rfilename);
    if (!m || m[3] !== split) continue;
    const entry = byConfig.get(m[1] as string) ?? { whole: [], partial: [] };
    (m[2] ? entry.partial : entry.whole).push(s);
    byConfig.set(m[1] as string, entry);
  }
  const name = pickConfig([...byConfig.keys()], config);
  if (typeof name !== 'string') return name;
  const entry = byConfig.get(name);
  if (!entry) return { kind: 'none' };
  const partial = entry.whole.length === 0;
  return { kind: 'files', config: name, files: toFiles(partial ? entry.partial : entry.whole), partial };
}

/** The named config when it has the split; else the only one, or `default`. */
function pickConfig(withSplit: readonly string[], config: string | undefined): string | { kind: 'none' } | { kind: 'ambiguous'; configs: string[] } {
  if (config !== undefined) return withSplit.includes(config) ? config : { kind: 'none' };
  if (withSplit.length === 1) return withSplit[0] as string;
  if (withSplit.includes('default')) return 'default';
  return withSplit.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', configs: [...withSplit].sort() };
}

/** config name -> split -> path patterns, from the README's `configs:` (data_files in its three forms). */
function cardConfigs(raw: unknown): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  if (!Array.isArray(raw)) return out;
  for (const c of raw as { config_name?: unknown; data_files?: unknown }[]) {
    const name = typeof c?.config_name === 'string' ? c.config_name : 'default';
    const splits = new Map<string, string[]>();
    const df = c?.data_files;
    const paths = (p: unknown): string[] => (typeof p === 'string' ? [p] : Array.isArray(p) ? p.filter((x): x is string => typeof x === 'string') : []);
    if (typeof df === 'string' || (Array.isArray(df) && df.every((x) => typeof x === 'string'))) splits.set('train', paths(df));
    else if (Array.isArray(df)) {
      for (const e of df as { split?: unknown; path?: unknown }[])
        if (typeof e?.split === 'string') splits.set(e.split, [...(splits.get(e.split) ?? []), ...paths(e.path)]);
    } else if (df && typeof df === 'object') for (const [split, p] of Object.entries(df)) splits.set(split, paths(p));
    out.set(name, splits);
  }
  return out;
}

/** A data_files glob as a regular expression over repository paths (`**` crosses folders, `*` does not). */
export function globRegex(glob: string): RegExp {
  glob = glob.replace(/^\.\//, '');
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

function toFiles(siblings: readonly HubSibling[]): ParquetFile[] {
  return [...siblings]
    .sort((a, b) => (a.rfilename < b.rfilename ? -1 : a.rfilename > b.rfilename ? 1 : 0))
    .map((s) => ({ path: s.rfilename, ...(s.size !== undefined && { size: s.size }), ...(s.lfs?.sha256 && { sha256: s.lfs.sha256 }) }));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
