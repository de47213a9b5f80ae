import { describe, expect, it } from 'vitest';
import { commandHelp, HelpRequested, parseArgs, UsageError, type CommandSpec } from './args.js';

const SPEC: CommandSpec = {
  usage: 'agora thing [--json] [--config FILE]',
  summary: 'Does the thing.',
  options: { json: { type: 'boolean', help: 'as JSON' }, config: { type: 'string', value: 'FILE', help: 'the config' } },
};

const usage = (argv: string[]) => {
  try {
    parseArgs(argv, SPEC);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  return 'parsed';
};

describe('parseArgs', () => {
  it('parses switches, values in both spellings, and positionals in order', () => {
    const a = parseArgs(['a', '--json', '--config', 'x.yaml', 'b'], SPEC);
    expect(a.positional).toEqual(['a', 'b']);
    expect([...a.flags]).toEqual([
      ['json', true],
      ['config', 'x.yaml'],
    ]);
    expect(parseArgs(['--config=y.yaml'], SPEC).flags.get('config')).toBe('y.yaml');
    expect(parseArgs(['--', '--json'], SPEC).positional).toEqual(['--json']);
  });

  it('refuses what it does not know, with agora-style messages', () => {
    expect(usage(['--jsn'])).toBe('unknown option --jsn (options: --json --config)');
    expect(usage(['--config'])).toBe('--config needs a value');
    expect(usage(['--config', '--json'])).toMatch(/^--config needs a value \(to pass one that starts with "-", write --config=-\.\.\.\)$/);
    expect(usage(['--json=yes'])).toBe('--json takes no value');
  });

  it('answers --help or -h anywhere with the help built from the spec', () => {
    for (const argv of [['--help'], ['x', '-h', '--jsn']]) {
      const e = (() => {
        try {
          parseArgs(argv, SPEC);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(HelpRequested);
      expect((e as HelpRequested).text).toBe(commandHelp(SPEC));
    }
    expect(commandHelp(SPEC)).toBe(
      'usage: agora thing [--json] [--config FILE]\n\nDoes the thing.\n\noptions:\n  --json         as JSON\n  --config FILE  the config\n  -h, --help     this help\n',
    );
  });
});
