import path from 'node:path';
import { BENCHMARK_SOURCES, describeSource, fetchBenchmark } from '../../adapters/benchmarks/benchmark-fetch.js';
import { BENCHMARK_LAYOUT, benchmarkCacheDir, locateBenchmark } from '../../adapters/benchmarks/benchmark-files.js';
import { displayPath } from '../../adapters/datasets/paths.js';
import { resolveEvaluateConfig } from '../../config/evaluate-schema.js';
import { DOMAIN_BENCHMARKS, DOMAINS } from '../../core/setting.js';
import { benchmarkLookup } from '../../adapters/benchmarks/benchmark-set.js';
import { flagString, parseArgs, UsageError, type Io, CONFIG_OPTION, type CommandSpec } from '../args.js';
import { locateRun } from '../open-run.js';

const BENCHMARKS_SPEC: CommandSpec = {
  usage: 'agora benchmarks fetch|list [--refresh] [--cache-dir DIR] [--retries N] [--config FILE]',
  summary: 'fetch: download the six benchmarks, pinned, into the cache. list: where each benchmark is read from.',
  options: {
    refresh: { type: 'boolean', help: 'download again even when cached' },
    'cache-dir': { type: 'string', value: 'DIR', help: 'the cache folder (default: AGORA_CACHE_DIR, else .cache/agora)' },
    retries: { type: 'string', value: 'N', help: 'retries of a failed download (default 3)' },
    config: CONFIG_OPTION,
  },
};

const USAGE = 'usage: agora benchmarks fetch [--refresh] [--cache-dir DIR] [--retries N] | agora benchmarks list [--config FILE]';

/**
 * `agora benchmarks fetch`: downloads every benchmark file once (GitHub files at fixed commits;
 * the Hub's EvalPlus and HumanEval splits through the datasets adapter, checked against their
 * pinned row counts) into the cache, in the data-folder layout evaluation reads. Evaluation
 * itself never downloads. `list` shows where each benchmark of a config would be read from.
 */
export async function benchmarksCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, BENCHMARKS_SPEC);
  const [sub, ...extra] = args.positional;
  if (extra.length > 0 || (sub !== 'fetch' && sub !== 'list')) throw new UsageError(USAGE);
  if (sub === 'list') return list(io, flagString(args, 'config'));
  const retries = flagString(args, 'retries');
  if (retries !== undefined && !/^\d+$/.test(retries)) throw new UsageError('--retries needs a whole number');
  const cacheFlag = flagString(args, 'cache-dir');
  const benchmarksDir = benchmarkCacheDir(io.env, cacheFlag ? path.resolve(io.cwd, cacheFlag) : undefined);
  let failed = 0;
  for (const source of BENCHMARK_SOURCES) {
    try {
      const r = await fetchBenchmark(source, {
        benchmarksDir,
        env: io.env,
        refresh: args.flags.has('refresh'),
        ...(retries !== undefined && { retries: Number(retries) }),
      });
      io.stdout.write(`ok   ${source.name}: ${r.fromCache ? 'already cached' : `${r.rows} records downloaded`} -> ${displayPath(r.file, io.cwd)}\n`);
      for (const rev of r.revisions ?? []) io.stdout.write(`     ${rev}\n`);
    } catch (e) {
      failed++;
      io.stdout.write(`fail ${source.name} (${describeSource(source)}): ${(e as Error).message}\n`);
    }
  }
  if (failed > 0)
    io.stderr.write(
      `${failed} benchmark file(s) not fetched; their cells stay blocked (or put the files in evaluate.dataDir, layout: ${Object.values(BENCHMARK_LAYOUT).join(', ')})\n`,
    );
  return failed > 0 ? 1 : 0;
}

function list(io: Io, configArg: string | undefined): number {
  const run = locateRun(io, configArg);
  const evaluate = resolveEvaluateConfig(run.config);
  const opts = { baseDir: path.dirname(run.configFile), env: io.env };
  io.stdout.write(`looked for in: ${benchmarkLookup('gsm8k', evaluate, opts).folders.join(', ')} (MATH ${evaluate.math}, MBPP ${evaluate.mbpp})\n`);
  for (const id of DOMAINS.flatMap((d) => DOMAIN_BENCHMARKS[d])) {
    const l = locateBenchmark(id, benchmarkLookup(id, evaluate, opts));
    io.stdout.write(
      'missing' in l
        ? `${id}: ${l.missing}\n`
        : `${id}: ${displayPath(l.files.dataFile, io.cwd)}${l.files.plusFile ? ` (+ ${displayPath(l.files.plusFile, io.cwd)})` : ''}\n`,
    );
  }
  return 0;
}
