import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/support/temp-run.js';

describe('Ink text-measurement cache', () => {
  it('is bounded by the postinstall patch (a week-long dashboard must not grow without end)', () => {
    const src = fs.readFileSync(path.join(REPO_ROOT, 'node_modules/ink/build/measure-text.js'), 'utf8');
    expect(src).toContain('if (cache.size >= 4096) cache.clear();');
  });
});
