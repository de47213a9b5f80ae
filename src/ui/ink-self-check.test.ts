import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-run.js';
import { INK_PATCH_MARKS, missingInkPatches, warnIfInkUnpatched } from './ink-self-check.js';

let tmp: { dir: string; cleanup: () => void } | undefined;
afterEach(() => tmp?.cleanup());

/** A package folder (`<tmp>/app/dist/ui`) whose node_modules holds the listed files with the given text. */
function tree(text: (file: string, mark: string) => string): string {
  tmp = tempDir('agora-ink-check-');
  for (const { file, mark } of INK_PATCH_MARKS) {
    const f = path.join(tmp.dir, 'node_modules', file);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text(file, mark));
  }
  const from = path.join(tmp.dir, 'app/dist/ui');
  fs.mkdirSync(from, { recursive: true });
  return from;
}

function captured(from: string): string {
  const err = new PassThrough();
  let out = '';
  err.on('data', (b: Buffer) => (out += b.toString()));
  warnIfInkUnpatched(err, from);
  return out;
}

describe("the dashboard's check that Ink is patched", () => {
  it('finds every patch in place in this checkout (npm install applied patches/)', () => {
    expect(missingInkPatches()).toEqual([]);
  });

  it('says nothing when every marker is found, looking up from the package as Node does', () => {
    expect(captured(tree((_, mark) => `code ${mark}\n`))).toBe('');
  });

  it('names the unpatched files in one warning line', () => {
    const from = tree((file, mark) => (file.startsWith('ink/') ? `code ${mark}\n` : 'code\n'));
    const out = captured(from);
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toMatch(
      /^agora: warning: Ink is running unpatched \(string-width\/index\.js, @alcalzone\/ansi-tokenize\/build\/tokenize\.js, @alcalzone\/ansi-tokenize\/build\/styledChars\.js\)/,
    );
  });

  it('counts a missing file as unpatched, and never throws on an unreadable one', () => {
    const from = tree((_, mark) => `code ${mark}\n`);
    fs.rmSync(path.join(tmp!.dir, 'node_modules/ink/build/wrap-text.js'));
    expect(captured(from)).toContain('(ink/build/wrap-text.js)');
    // A folder where a file should be: reading it throws EISDIR inside the check.
    fs.mkdirSync(path.join(tmp!.dir, 'node_modules/ink/build/wrap-text.js'));
    expect(() => warnIfInkUnpatched(new PassThrough(), from)).not.toThrow();
  });
});
