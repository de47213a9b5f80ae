import { parseArgs as parseNodeArgs } from 'node:util';

/** Each command's options, with what they mean: parsed strictly, and printed by `--help`. */
export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  /** The value's placeholder in help (`FILE`, `N`); strings only. */
  readonly value?: string;
  readonly help: string;
}

export interface CommandSpec {
  /** `agora plan [--json] [--config FILE]`: the first help line. */
  readonly usage: string;
  /** What the command does, one or two lines. */
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
}

/** The parsed arguments: positionals in order, and each given option by name. */
export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `--help` or `-h` was given: the command's help, for stdout and exit 0. */
export class HelpRequested extends Error {
  constructor(readonly text: string) {
    super('help requested');
    this.name = 'HelpRequested';
  }
}

/** The `--config FILE` every run command takes. */
export const CONFIG_OPTION: OptionSpec = { type: 'string', value: 'FILE', help: 'the sweep config (default ./agora.config.yaml)' };

export function commandHelp(spec: CommandSpec): string {
  const rows: Array<[string, string]> = Object.entries(spec.options).map(([name, o]) => [
    `--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`,
    o.help,
  ]);
  rows.push(['-h, --help', 'this help']);
  const width = Math.max(...rows.map(([left]) => left.length));
  return `usage: ${spec.usage}\n\n${spec.summary}\n\noptions:\n${rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`).join('\n')}\n`;
}

/** node's messages name options as `'--x'`; agora's say `--x`, and say how to see the rest. */
function usageMessage(err: Error & { code?: string }, spec: CommandSpec): string {
  const m = /^Unknown option '(-[^']*)'/.exec(err.message);
  if (m)
    return `unknown option ${m[1]} (options: ${
      Object.keys(spec.options)
        .map((o) => `--${o}`)
        .join(' ') || 'none'
    })`;
  const missing = /^Option '(--[^ ']+)[^']*' argument missing/.exec(err.message);
  if (missing) return `${missing[1]} needs a value`;
  const ambiguous = /^Option '(--[^ ']+)[^']*' argument is ambiguous/.exec(err.message);
  if (ambiguous) return `${ambiguous[1]} needs a value (to pass one that starts with "-", write ${ambiguous[1]}=-...)`;
  const noValue = /^Option '(--[^']+)' does not take an argument/.exec(err.message);
  if (noValue) return `${noValue[1]} takes no value`;
  return err.message;
}

/**
 * Strict parsing through node's util.parseArgs: an unknown option, a missing value or a value
 * given to a switch is a UsageError (exit 2), never ignored; `--help` anywhere answers the
 * command's help instead of running it.
 */
export function parseArgs(argv: readonly string[], spec: CommandSpec): ParsedArgs {
  if (argv.includes('--help') || argv.includes('-h')) throw new HelpRequested(commandHelp(spec));
  let parsed;
  try {
    parsed = parseNodeArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type }])),
    });
  } catch (e) {
    throw new UsageError(usageMessage(e as Error, spec));
  }
  const flags = new Map<string, string | true>();
  for (const [name, v] of Object.entries(parsed.values)) if (v !== undefined && v !== false) flags.set(name, v === true ? true : String(v));
  return { positional: parsed.positionals, flags };
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}
