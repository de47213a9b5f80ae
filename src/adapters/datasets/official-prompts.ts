import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OFFICIAL_COMMIT, OFFICIAL_PROMPTS_PATH, OFFICIAL_REPO, fromOfficialTemplate, officialPromptFileName } from '../../core/prompts/official.js';
import { checkTemplate } from '../../core/prompts/template.js';
import type { MetaPromptVariant, PromptTemplates, VariantTemplates } from '../../core/prompts/types.js';
import { DOMAINS, METHODS, type Domain, type Method } from '../../core/setting.js';
import { displayPath, hfCacheDir, projectRoot } from './paths.js';
import { loadPromptTemplates } from './prompt-files.js';
import { getWithRetries } from '../http-get.js';

type Env = Readonly<Record<string, string | undefined>>;

/** `<cache root>/prompts/<commit>`, beside the seed downloads in `<cache root>/hf`. */
export function officialPromptsCacheDir(commit: string = OFFICIAL_COMMIT, env: Env = process.env, cwd = process.cwd()): string {
  return path.join(path.dirname(hfCacheDir(env, cwd)), 'prompts', commit);
}

export function officialFiles(): { method: Method; domain: Domain; name: string }[] {
  return METHODS.flatMap((method) => DOMAINS.map((domain) => ({ method, domain, name: officialPromptFileName(method, domain) })));
}

/**
 * The nine official prompt files of a folder as agora's default (delimiter) style: their
 * INPUT:/OUTPUT: and Revised Question:/Revised Answer: triggers and the [END] stop phrase
 * are the ones agora parses. One error lists every missing or unusable file.
 */
export function loadOfficialTemplates(dir: string): PromptTemplates {
  const problems: string[] = [];
  const byMethod = {} as Record<Method, Record<Domain, string>>;
  for (const { method, domain, name } of officialFiles()) {
    byMethod[method] ??= {} as Record<Domain, string>;
    const file = path.join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      problems.push(`${displayPath(file)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message}`);
      continue;
    }
    const { template, problems: own } = fromOfficialTemplate(text);
    for (const p of [...own, ...checkTemplate(method, 'default', template)]) problems.push(`${displayPath(file)}: ${p}`);
    byMethod[method][domain] = template;
  }
  if (problems.length > 0) {
    throw new Error(
      `the official prompt files in ${displayPath(dir)} are not usable (run \`agora prompts fetch\`, or point officialPrompts.dir at agora_scripts/prompts of a copy of ${OFFICIAL_REPO}):\n  ${problems.join('\n  ')}`,
    );
  }
  return { default: byMethod as VariantTemplates };
}

export interface PromptSetup {
  readonly templates: PromptTemplates;
  /** The style the prompts are rendered and parsed in: the official files are delimiter-style. */
  readonly variant: MetaPromptVariant;
}

interface PromptConfig {
  readonly metaPrompt: MetaPromptVariant | 'official';
  readonly officialPrompts?: { readonly dir?: string; readonly commit?: string };
}

/** The templates a run uses: agora's own files, or the official ones (a folder relative to the config, else the fetch cache). */
export function promptSetup(config: PromptConfig, configDir: string, env: Env = process.env): PromptSetup {
  if (config.metaPrompt !== 'official') {
    return { templates: loadPromptTemplates(path.join(projectRoot(), 'prompts'), { variants: [config.metaPrompt] }), variant: config.metaPrompt };
  }
  const dir = config.officialPrompts?.dir
    ? path.resolve(configDir, config.officialPrompts.dir)
    : officialPromptsCacheDir(config.officialPrompts?.commit ?? OFFICIAL_COMMIT, env);
  return { templates: loadOfficialTemplates(dir), variant: 'default' };
}

export interface FetchOfficialOptions {
  readonly commit?: string;
  readonly dest?: string;
  /** Where raw files are served from (https://raw.githubusercontent.com; a local server in tests). */
  readonly rawBase?: string;
  readonly env?: Env;
}

/**
 * Downloads the nine prompt files at the commit into the cache; all or nothing: the files
 * go to a temporary folder that replaces the destination only when every one arrived.
 */
export async function fetchOfficialPrompts(opts: FetchOfficialOptions = {}): Promise<{ dir: string; files: string[] }> {
  const env = opts.env ?? process.env;
  const commit = opts.commit ?? OFFICIAL_COMMIT;
  const dest = opts.dest ?? officialPromptsCacheDir(commit, env);
  const base = (opts.rawBase ?? env['AGORA_GITHUB_RAW_ENDPOINT'] ?? 'https://raw.githubusercontent.com').replace(/\/+$/, '');
  const tmp = `${dest}.partial-${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  const files: string[] = [];
  try {
    for (const { name } of officialFiles()) {
      const url = `${base}/${OFFICIAL_REPO}/${commit}/${OFFICIAL_PROMPTS_PATH}/${name}`;
      const res = await getWithRetries(url, { retries: 3, retryBaseMs: 1000, timeoutMs: 30_000 });
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      writeFileSync(path.join(tmp, name), await res.text());
      files.push(name);
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  rmSync(dest, { recursive: true, force: true });
  renameSync(tmp, dest);
  return { dir: dest, files };
}
