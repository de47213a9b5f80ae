import { z } from 'zod';
import { ConfigError, formatProblem, loadConfigFile } from '../../config/load-config.js';
import { sweepConfigSchema } from '../../config/schema.js';
import { parseArgs, UsageError, type Io, type CommandSpec } from '../args.js';
import { plural } from '../../core/views/format.js';

const CONFIG_SPEC: CommandSpec = {
  usage: 'agora config check FILE | agora config schema',
  summary: "check: validate a sweep config and say what is wrong, by field. schema: the config's JSON Schema.",
  options: {},
};

/** `agora config check FILE` and `agora config schema`. */
export async function configCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, CONFIG_SPEC);
  const [sub, file] = args.positional;
  if (sub === 'schema') {
    const schema = z.toJSONSchema(sweepConfigSchema, { io: 'input', unrepresentable: 'any' });
    io.stdout.write(JSON.stringify({ title: 'agora sweep config', ...schema }, null, 2) + '\n');
    return 0;
  }
  if (sub === 'check') {
    if (!file) throw new UsageError('usage: agora config check FILE');
    try {
      const config = loadConfigFile(file);
      io.stdout.write(
        `${file}: ok: ${plural(config.generators.length, 'generator')} x ${plural(config.settings.length, 'setting')}, ${plural(config.instancesPerCell, 'instance')} per cell, budget $${config.budget.usd}\n`,
      );
      return 0;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      for (const p of e.problems) io.stderr.write(formatProblem(p) + '\n');
      io.stderr.write(`${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} in ${file}\n`);
      return 2;
    }
  }
  throw new UsageError('usage: agora config check FILE | agora config schema');
}
