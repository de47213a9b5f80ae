import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pickEntry, STAMP } from '../bin/pick-entry.js';
import { tempDir } from './support/temp-run.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

/** A project folder with the given files, each with its own mtime (seconds since 2026-01-01). */
function project(files: Record<string, number>): string {
  const t = tempDir('agora-pick-');
  cleanups.push(t.cleanup);
  for (const [rel, sec] of Object.entries(files)) {
    const file = path.join(t.dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    const when = new Date(Date.UTC(2026, 0, 1) + sec * 1000);
    fs.utimesSync(file, when, when);
  }
  return t.dir;
}

const built = { 'dist/cli/entry.js': 100, [STAMP]: 100 };

describe('pickEntry: which code bin/agora.js runs', () => {
  it('runs dist/ in a packed package, which has no sources', () => {
    const root = project({ 'dist/cli/entry.js': 1 });
    expect(pickEntry(root, {})).toEqual({ kind: 'dist', file: path.join(root, 'dist/cli/entry.js') });
  });

  it('runs the sources through tsx when nothing was built', () => {
    const root = project({ 'src/cli/entry.ts': 1 });
    expect(pickEntry(root, {})).toMatchObject({ kind: 'source', file: path.join(root, 'src/cli/entry.ts'), reason: expect.stringMatching(/no build/) });
  });

  it('runs dist/ while every source is older than the build', () => {
    const root = project({ ...built, 'src/cli/entry.ts': 50, 'src/engine/deep/x.tsx': 99 });
    expect(pickEntry(root, {}).kind).toBe('dist');
  });

  it('runs the sources once one of them is newer than the build, and says which', () => {
    const root = project({ ...built, 'src/cli/entry.ts': 50, 'src/engine/conductor.ts': 101 });
    expect(pickEntry(root, {})).toMatchObject({ kind: 'source', reason: `${path.join('src', 'engine', 'conductor.ts')} is newer than the build` });
  });

  it('ignores edited tests and test helpers, which the build leaves out', () => {
    const root = project({ ...built, 'src/cli/entry.ts': 50, 'src/engine/conductor.test.ts': 200, 'src/ui/testing/fixtures.tsx': 200, 'src/README.md': 200 });
    expect(pickEntry(root, {}).kind).toBe('dist');
  });

  it('does not trust a build without its stamp (interrupted) or without its entry', () => {
    expect(pickEntry(project({ 'dist/cli/entry.js': 100, 'src/cli/entry.ts': 50 }), {}).kind).toBe('source');
    expect(pickEntry(project({ [STAMP]: 100, 'src/cli/entry.ts': 50 }), {})).toMatchObject({ kind: 'source', reason: expect.stringMatching(/entry\.js/) });
  });

  it('runs the sources when AGORA_FROM_SOURCE=1, however fresh the build', () => {
    const root = project({ ...built, 'src/cli/entry.ts': 50 });
    expect(pickEntry(root, { AGORA_FROM_SOURCE: '1' }).kind).toBe('source');
  });
});
