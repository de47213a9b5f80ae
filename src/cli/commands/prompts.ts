import path from 'node:path';
import { fetchOfficialPrompts, loadOfficialTemplates, officialPromptsCacheDir } from '../../adapters/datasets/official-prompts.js';
import { displayPath } from '../../adapters/datasets/paths.js';
import { OFFICIAL_COMMIT, OFFICIAL_REPO } from '../../core/prompts/official.js';
import { flagString, parseArgs, UsageError, type Io, type CommandSpec } from '../args.js';

const PROMPTS_SPEC: CommandSpec = {
  usage: 'agora prompts fetch [--commit SHA] [--dir DIR]',
  summary: 'Download the official prompt files (neulab/data-agora) at a commit, for metaPrompt: official.',
  options: {
    commit: { type: 'string', value: 'SHA', help: 'the data-agora commit (default: the pinned one)' },
    dir: { type: 'string', value: 'DIR', help: 'where to put them (default: the cache)' },
  },
};

type PromptsIo = Pick<Io, 'stdout' | 'stderr'> & Partial<Pick<Io, 'env' | 'cwd'>>;

const USAGE = 'usage: agora prompts fetch [--commit SHA] [--dir DIR]';

/**
 * `agora prompts fetch`: downloads the official repository's nine prompt files at the pinned
 * commit into the cache, for `metaPrompt: official`, and checks that agora can render them.
 * Exit 1 when the download or the check fails (nothing half-written is left).
 */
export async function promptsCommand(argv: readonly string[], io: PromptsIo): Promise<number> {
  const args = parseArgs(argv, PROMPTS_SPEC);
  const [sub, ...extra] = args.positional;
  if (sub !== 'fetch' || extra.length > 0) throw new UsageError(USAGE);
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const commit = flagString(args, 'commit') ?? OFFICIAL_COMMIT;
  if (!/^[0-9a-f]{7,40}$/i.test(commit)) throw new UsageError('--commit needs a git commit hash');
  const dirFlag = flagString(args, 'dir');
  const dest = dirFlag ? path.resolve(cwd, dirFlag) : officialPromptsCacheDir(commit, env, cwd);
  try {
    const { dir, files } = await fetchOfficialPrompts({ commit, dest, env });
    loadOfficialTemplates(dir);
    io.stdout.write(`fetched ${files.length} prompt files of ${OFFICIAL_REPO}@${commit.slice(0, 12)} into ${displayPath(dir, cwd)}\n`);
    if (dirFlag) io.stdout.write(`use them with: metaPrompt: official, officialPrompts: { dir: ${displayPath(dir, cwd)} }\n`);
    else io.stdout.write('use them with: metaPrompt: official\n');
    return 0;
  } catch (err) {
    io.stderr.write(`agora prompts fetch: ${(err as Error).message}\n`);
    return 1;
  }
}
