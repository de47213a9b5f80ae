import { HelpRequested, UsageError, type Io } from './args.js';

const HELP = `agora: run the AgoraBench sweep (LMs as synthetic data generators)

usage:
  agora [--config FILE]                 open the live dashboard (and conduct the sweep)
  agora run --no-tui [--config FILE] [--stages generate,train,evaluate,score,metrics] [--retry-failed]
  agora status [--json] [--config FILE]
  agora plan [--json] [--config FILE]   estimated tokens and cost per cell; calls no API
  agora stop [--config FILE]            stop the sweep's background jobs
  agora config check FILE | agora config schema
  agora seeds fetch|list
  agora prompts fetch [--commit SHA] [--dir DIR]   the official prompt files, for metaPrompt: official
  agora benchmarks fetch|list           download the six benchmarks (pinned) into the cache / show where each is read from
  agora reset GENERATOR SETTING --stage generate|train|evaluate|metrics   redo a cell from a stage (costs kept)
  agora grade BENCHMARK --predictions FILE [--data FILE] [--json]
  agora report [--format md|csv|json|html] [--out FILE]

agora COMMAND --help describes a command's options. The default config is ./agora.config.yaml.
Exit codes: 0 ok, 1 failed, 2 usage or config error.
`;

type Command = (argv: readonly string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  stop: async () => (await import('./commands/stop.js')).stopCommand,
  config: async () => (await import('./commands/config.js')).configCommand,
  seeds: async () => (await import('./commands/seeds.js')).seedsCommand,
  prompts: async () => (await import('./commands/prompts.js')).promptsCommand,
  benchmarks: async () => (await import('./commands/benchmarks.js')).benchmarksCommand,
  reset: async () => (await import('./commands/reset.js')).resetCommand,
  grade: async () => (argv, io) => import('./commands/grade.js').then((m) => m.gradeCommand([...argv], io)),
  report: async () => (await import('./commands/report.js')).reportCommand,
  dashboard: async () => (await import('./commands/dashboard.js')).dashboardCommand,
};

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const name = first === undefined || first.startsWith('--') ? 'dashboard' : first;
  const args = name === 'dashboard' && first !== 'dashboard' ? argv : rest;
  const load = COMMANDS[name];
  try {
    if (!load) throw new UsageError(`unknown command "${name}"\n\n${HELP}`);
    // `agora run` without --no-tui is the dashboard, which conducts too.
    if (name === 'run' && !args.includes('--no-tui')) return await (await COMMANDS.dashboard!())(args, io);
    return await (
      await load()
    )(args, io);
  } catch (e) {
    if (e instanceof HelpRequested) {
      io.stdout.write(e.text);
      return 0;
    }
    // Loaded only here: it brings zod and yaml, which `agora --help` has no use for (a
    // ConfigError can only come from a command that has loaded the module already).
    const { ConfigError, formatProblem } = await import('../config/load-config.js');
    if (e instanceof ConfigError) {
      for (const p of e.problems) io.stderr.write(`${formatProblem(p)}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`agora: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
