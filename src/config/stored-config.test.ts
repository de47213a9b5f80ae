import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/support/temp-run.js';
import { ConfigError } from './config-problem.js';
import { loadConfigFile, parseConfigText } from './load-config.js';
import { parseStoredConfig } from './stored-config.js';

const where = 'agora.db run_meta.config_json';

describe('stored config', () => {
  it('a parsed config survives the JSON round trip through the store unchanged', () => {
    const bundled = loadConfigFile(path.join(REPO_ROOT, 'agora.config.yaml'));
    expect(parseStoredConfig(JSON.stringify(bundled), where)).toEqual(bundled);
    // With train and evaluate sections, whose defaults and transforms (the reference checkpoint) apply again.
    const full = parseConfigText(
      [
        'name: rt',
        'instancesPerCell: 5',
        'budget: { usd: 1 }',
        'generators: [{ id: g, provider: openai-compatible, baseURL: "http://127.0.0.1:1/v1", model: m, price: { input: 1, output: 2 } }]',
        'settings: [math/instance]',
        'train: { runner: slurm, slurm: { partition: p } }',
        'evaluate: { judge: { generator: g }, baselines: { base: { checkpoint: /b } } }',
      ].join('\n'),
      'rt.yaml',
    );
    expect(parseStoredConfig(JSON.stringify(full), where)).toEqual(full);
  });

  it('names the place and the field when the stored JSON is broken or wrong', () => {
    expect(() => parseStoredConfig('{"name": ', where)).toThrow(ConfigError);
    expect(() => parseStoredConfig('{"name": ', where)).toThrow(/^agora\.db run_meta\.config_json: not JSON/);
    const bundled = loadConfigFile(path.join(REPO_ROOT, 'agora.config.yaml'));
    const wrong = JSON.stringify({ ...bundled, metaPrompt: 'fancy' });
    expect(() => parseStoredConfig(wrong, where)).toThrow(/config_json: metaPrompt: /);
  });
});
