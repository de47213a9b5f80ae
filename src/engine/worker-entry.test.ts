import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workerEntry } from './worker-entry.js';

describe('workerEntry', () => {
  it('starts a compiled worker from dist/ with plain node, wherever the bundler put the caller', () => {
    for (const url of ['file:///opt/agora/dist/cli/entry.js', 'file:///opt/agora/dist/chunks/chunk-ABC.js']) {
      expect(workerEntry('generate', url, '/opt/agora')).toEqual({ file: path.normalize('/opt/agora/dist/workers/generate/main.js'), nodeArgs: [] });
    }
  });

  it('starts a source worker through tsx', () => {
    expect(workerEntry('evaluate', 'file:///home/dev/agora/src/engine/worker-entry.ts', '/home/dev/agora')).toEqual({
      file: path.normalize('/home/dev/agora/src/workers/evaluate/main.ts'),
      nodeArgs: ['--import', 'tsx'],
    });
  });

  it('names worker scripts that exist, for every worker', () => {
    for (const name of ['generate', 'evaluate'] as const) expect(fs.existsSync(workerEntry(name).file)).toBe(true);
  });
});
