import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../../test/support/temp-run.js';
import { ConfigError, loadConfigFile, parseConfigText } from './load-config.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const problems = (text: string, file = 'sweep.yaml') => {
  try {
    parseConfigText(text, file);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('sweep config', () => {
  it('accepts the bundled paper sweep: six generators, nine settings, 10,000 per cell', () => {
    const c = loadConfigFile(path.join(REPO_ROOT, 'agora.config.yaml'));
    expect(c.generators.map((g) => g.id)).toEqual(['gpt-4o', 'gpt-4o-mini', 'claude-3.5-sonnet', 'llama-3.1-405b', 'llama-3.1-70b', 'llama-3.1-8b']);
    expect(c.settings).toHaveLength(9);
    expect(c.instancesPerCell).toBe(10000);
    expect(c.generators.find((g) => g.id === 'gpt-4o')?.price).toEqual({ input: 2.5, output: 10 });
    expect(c.generators.find((g) => g.id === 'llama-3.1-8b')?.price).toEqual({ input: 0.055, output: 0.055 });
  });

  it('lists every problem with its path and line', () => {
    const ps = problems(`name: x
instancesPerCell: 10
budget: { usd: 5, perGenerator: { ghost: 1 } }
generators:
  - { id: a, provider: openai, model: m, price: { input: 1, output: 2 } }
  - { id: b, provider: openai, model: m, price: { input: 1, output: "lots" } }
settings: [math/instance, bio/instance]
`);
    expect(ps.map((p) => `${p.line}: ${p.path}: ${p.message}`)).toEqual([
      '6: generators[1].price.output: expected a number',
      '7: settings[1]: expected <domain>/<method>, domain one of math|code|inst, method one of instance|response|quality',
    ]);
  });

  it('checks cross-field rules once the shape is right', () => {
    const ps = problems(`name: x
instancesPerCell: 10
budget: { usd: 5, perGenerator: { ghost: 1 } }
generators:
  - { id: a, provider: openai-compatible, model: m, price: { input: 1, output: 2 } }
  - { id: a, provider: openai, model: m, price: { input: 1, output: 2 } }
settings: [math/instance, math/instance]
`);
    expect(ps.map((p) => p.path).sort()).toEqual(['budget.perGenerator.ghost', 'generators[0].baseURL', 'generators[1].id', 'settings[1]']);
  });

  it('names YAML syntax errors with their line, and a missing file', () => {
    expect(problems('name: x\n  bad: [unclosed\n')[0]).toMatchObject({ file: 'sweep.yaml', line: expect.any(Number) });
    expect(() => loadConfigFile('/nonexistent/agora.yaml')).toThrow(/no such file/);
  });

  it('refuses an API key written into the config', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const f = path.join(t.dir, 'c.yaml');
    fs.writeFileSync(
      f,
      `name: x\ninstancesPerCell: 1\nbudget: { usd: 1 }\ngenerators:\n  - { id: a, provider: openai, model: m, apiKeyEnv: sk-abc123, price: { input: 1, output: 2 } }\nsettings: [math/instance]\n`,
    );
    expect(() => loadConfigFile(f)).toThrow(/generators\[0\]\.apiKeyEnv: the name of an environment variable/);
  });
});
