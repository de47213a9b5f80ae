import { commandHelp, flagString, HelpRequested, parseArgs, UsageError, type CommandSpec } from '../args.js';
import { defaultResultsPath, readPredictions, writeItemResults } from '../../adapters/benchmarks/predictions-file.js';
import { BenchmarkMissingError, loadBenchmark } from '../../adapters/benchmarks/load-benchmark.js';
import { DataFileError } from '../../adapters/benchmarks/record-reader.js';
import { createSandboxRunner } from '../../adapters/sandbox/python-sandbox.js';
import { SympyChecker } from '../../adapters/sandbox/sympy-checker.js';
import { gradeBenchmark, GradeSetupError, type GradeDeps } from '../../core/grade/grade-benchmark.js';
import type { JudgeComplete } from '../../core/grade/types.js';
import type { BenchmarkId } from '../../core/setting.js';

export interface GradeIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** What the CLI's wiring supplies; `makeJudge` turns a `--judge` value into a judge function. */
export interface GradeCommandDeps {
  readonly makeJudge?: (spec: string) => Promise<JudgeComplete>;
  readonly env?: NodeJS.ProcessEnv;
}

const GRADE_SPEC: CommandSpec = {
  usage: 'agora grade BENCHMARK --predictions FILE [options]',
  summary: 'Grade predictions on one benchmark (gsm8k, math, mbpp, humaneval, alpaca_eval, arena_hard) as a sweep would.',
  options: {
    predictions: { type: 'string', value: 'FILE', help: 'JSON lines {"id": ..., "output": "..."}' },
    data: { type: 'string', value: 'FILE', help: 'the benchmark in its public format (default: --data-dir, ../shared/data, then the cache; never downloads)' },
    'data-dir': { type: 'string', value: 'DIR', help: 'a folder of benchmark files in the ../shared/data layout' },
    baseline: { type: 'string', value: 'FILE', help: 'arena_hard: gpt-4-0314 answers (default: next to --data)' },
    math500: { type: 'boolean', help: 'math: MATH-500 instead of the full 5,000-problem test set (the default)' },
    'math-full': { type: 'boolean', help: 'math: the full test set (the default)' },
    'mbpp-original': { type: 'boolean', help: "mbpp: the 500-task MBPP test split instead of EvalPlus' MBPP+ (378, the default)" },
    subset: { type: 'boolean', help: 'score only the items that have a prediction (default: missing ones count as wrong)' },
    judge: { type: 'string', value: 'SPEC', help: 'alpaca_eval, arena_hard: the LLM judge to use' },
    'timeout-ms': { type: 'string', value: 'N', help: 'code: per-program time limit (default 10000)' },
    seed: { type: 'string', value: 'N', help: 'judge order and bootstrap seed (default 42)' },
    out: { type: 'string', value: 'FILE', help: 'per-item results (default: <predictions>.graded.jsonl)' },
    json: { type: 'boolean', help: 'print the summary as JSON' },
  },
};

const ALIASES: Readonly<Record<string, BenchmarkId>> = {
  gsm8k: 'gsm8k',
  math: 'math',
  math500: 'math',
  mbpp: 'mbpp',
  humaneval: 'humaneval',
  alpaca_eval: 'alpaca_eval',
  alpacaeval: 'alpaca_eval',
  'alpaca-eval': 'alpaca_eval',
  arena_hard: 'arena_hard',
  arenahard: 'arena_hard',
  'arena-hard': 'arena_hard',
};

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

/** What each benchmark's headline score (0-100) measures, printed with it. */
const HEADLINE_METRIC: Readonly<Record<BenchmarkId, string>> = {
  gsm8k: 'accuracy',
  math: 'accuracy',
  mbpp: 'pass@1',
  humaneval: 'pass@1',
  alpaca_eval: 'length-controlled win rate',
  arena_hard: 'win rate against gpt-4-0314',
};

export async function gradeCommand(argv: string[], io: GradeIo, deps: GradeCommandDeps = {}): Promise<number> {
  const say = (s: string) => io.stderr.write(`${s}\n`);
  let sympy: SympyChecker | undefined;
  try {
    let args;
    try {
      args = parseArgs(argv, GRADE_SPEC);
    } catch (err) {
      if (!(err instanceof HelpRequested)) throw err;
      io.stdout.write(err.text);
      return 0;
    }
    const positionals = args.positional;
    const has = (name: string) => args.flags.has(name);
    const str = (name: string) => flagString(args, name);
    const name = positionals[0];
    if (positionals.length !== 1 || name === undefined)
      throw new UsageError(positionals.length === 0 ? 'which benchmark?' : `one benchmark at a time, got ${positionals.join(' ')}`);
    const benchmark = ALIASES[name.toLowerCase()];
    if (!benchmark) throw new UsageError(`unknown benchmark "${name}"`);
    const predictionsFile = str('predictions');
    if (!predictionsFile) throw new UsageError('--predictions FILE is required');
    const seed = positiveInt(str('seed'), '--seed', 42);
    const timeoutMs = positiveInt(str('timeout-ms'), '--timeout-ms', 10_000);

    const graderDeps: { -readonly [K in keyof GradeDeps]: GradeDeps[K] } = { seed, missing: has('subset') ? 'skip' : 'wrong' };
    if (benchmark === 'alpaca_eval' || benchmark === 'arena_hard') {
      const judge = str('judge');
      if (!judge) throw new UsageError(`${benchmark} is graded by an LLM judge: pass --judge with a configured judge`);
      if (!deps.makeJudge) throw new UsageError(`--judge is not wired into this build of agora yet; grade ${benchmark} through a sweep instead`);
      graderDeps.judge = await deps.makeJudge(judge);
    }

    const predictions = await readPredictions(predictionsFile);
    const items = await loadBenchmark(benchmark, {
      ...(str('data') ? { dataFile: str('data') } : {}),
      ...(str('baseline') ? { baselineFile: str('baseline') } : {}),
      ...(str('data-dir') ? { dataDir: str('data-dir') } : {}),
      mathVariant: has('math500') && !has('math-full') ? 'math500' : 'full',
      mbppVariant: has('mbpp-original') ? 'original' : 'evalplus',
      env: deps.env ?? process.env,
    });
    const known = new Set(items.map((i) => i.id));
    for (const [id, line] of predictions.lines) {
      if (!known.has(id))
        throw new DataFileError(
          `${predictionsFile}:${line}: id ${JSON.stringify(id)} is not an item of ${benchmark} (${items.length} items, e.g. ${JSON.stringify(items[0]?.id)})`,
        );
    }

    if (benchmark === 'math') {
      sympy = await SympyChecker.start();
      if (sympy.status.available) graderDeps.symbolic = sympy;
      else say(`note: symbolic checks skipped: ${sympy.status.reason}`);
    }
    if (benchmark === 'mbpp' || benchmark === 'humaneval') graderDeps.runCode = createSandboxRunner({ timeoutMs });

    const report = await gradeBenchmark(benchmark, items, predictions.outputs, graderDeps);
    const itemsFile = str('out') ?? defaultResultsPath(predictionsFile);
    await writeItemResults(itemsFile, report.items);
    for (const note of report.notes) say(`note: ${note}`);
    if (has('json')) {
      io.stdout.write(
        `${JSON.stringify({ benchmark, n: report.n, score: report.score, missing: report.missing, metrics: report.metrics, notes: report.notes, itemsFile })}\n`,
      );
    } else {
      const extra = Object.entries(report.metrics)
        .map(([k, x]) => `${k} ${typeof x === 'number' && !Number.isInteger(x) ? x.toFixed(2) : x}`)
        .join(', ');
      io.stdout.write(
        `${benchmark}: ${report.score.toFixed(2)}% ${HEADLINE_METRIC[benchmark]} over ${report.n} item${report.n === 1 ? '' : 's'} (${extra})\nper-item results: ${itemsFile}\n`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      say(`agora grade: ${err.message}\n\n${commandHelp(GRADE_SPEC)}`);
      return 2;
    }
    if (err instanceof DataFileError || err instanceof GradeSetupError) {
      say(`agora grade: ${err.message}`);
      return 2;
    }
    if (err instanceof BenchmarkMissingError) {
      say(`agora grade: ${err.message} (or pass --data FILE)`);
      return 2;
    }
    say(`agora grade: failed: ${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    await sympy?.close();
  }
}
