import fs from 'node:fs';
import path from 'node:path';
import { tokenize, styledCharsFromTokens, styledCharsToString } from '@alcalzone/ansi-tokenize';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { NARROW_SIMPLE, PATCHES } from '../../scripts/patch-deps.mjs';
import { REPO_ROOT } from '../../test/support/temp-run.js';
import { mulberry32, randomChoice } from '../core/prompts/rng.js';
import { INK_PATCH_MARKS } from './ink-self-check.js';

interface Patch {
  readonly name: string;
  readonly file: () => string | undefined;
  readonly mark: string;
  readonly from: string;
  readonly to: (mark: string) => string;
  readonly also?: ReadonlyArray<readonly [string, string]>;
}

/** Each diff in patches/: the package and version its name pins, and the files it changes with their added lines. */
const diffs = fs
  .readdirSync(path.join(REPO_ROOT, 'patches'))
  .filter((f) => f.endsWith('.patch'))
  .map((name) => {
    const [, pkg, version] = /^(.+)\+(\d[^+]*)\.patch$/.exec(name)!;
    const text = fs.readFileSync(path.join(REPO_ROOT, 'patches', name), 'utf8');
    const files = text
      .split(/^diff --git /m)
      .slice(1)
      .map((part) => ({
        file: /^\+\+\+ b\/node_modules\/(.+)$/m.exec(part)![1]!,
        added: part
          .split('\n')
          .filter((l) => l.startsWith('+') && !l.startsWith('+++'))
          .join('\n'),
      }));
    return { name, pkg: pkg!.replace('+', '/'), version: version!, files };
  });
const patchedFiles = diffs.flatMap((d) => d.files);
const underNodeModules = (f: string) => f.slice(f.lastIndexOf('node_modules/') + 'node_modules/'.length);

const narrow = new RegExp(`^[${NARROW_SIMPLE as string}]$`);
const members: string[] = [];
for (let cp = 0; cp <= 0xffff; cp++) if (narrow.test(String.fromCodePoint(cp))) members.push(String.fromCodePoint(cp));

/** Random strings over the fast-path characters, with colour codes between some of them. */
function samples(n: number): string[] {
  const rand = mulberry32(7);
  const pick = <T>(xs: readonly T[]) => randomChoice(rand, xs);
  const codes = ['\u001B[31m', '\u001B[39m', '\u001B[2m', '\u001B[22m', '\u001B[7m', '\u001B[27m', '\u001B[1;36m', '\u001B[0m'];
  return Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(rand() * 40) }, () => (rand() < 0.15 ? pick(codes) : pick(members))).join(''));
}

// 'é' is one column wide, never joins the character before it, and is not in the fast-path
// set: appending it forces the original (Intl.Segmenter) path, and its own share is known.
const SLOW = 'é';

describe("the postinstall patches to Ink's text pipeline (scripts/patch-deps.mjs)", () => {
  it('the diffs in patches/, the self-check and the install-time fallback name the same files', () => {
    const sorted = (xs: string[]) => [...xs].sort();
    expect(patchedFiles.length).toBeGreaterThan(0);
    expect(sorted(INK_PATCH_MARKS.map((m) => m.file))).toEqual(sorted(patchedFiles.map((f) => f.file)));
    expect(sorted((PATCHES as Patch[]).map((p) => underNodeModules(p.file()!)))).toEqual(sorted(patchedFiles.map((f) => f.file)));
  });

  it.each(diffs.map((d) => [d.name, d] as const))('%s: pins the installed version', (_, d) => {
    const installed = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', d.pkg, 'package.json'), 'utf8')) as { version: string };
    expect(installed.version, `${d.name} was made against another version; remake it with npx patch-package ${d.pkg}`).toBe(d.version);
  });

  it.each(patchedFiles.map((f) => [f.file, f] as const))('%s: the diff adds its marker, and the installed file has it', (file, f) => {
    const { mark } = INK_PATCH_MARKS.find((m) => m.file === file)!;
    expect(f.added).toContain(mark);
    expect(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', file), 'utf8'), `${file} lacks the patch; run npm install`).toContain(mark);
  });

  it.each((PATCHES as Patch[]).map((p) => [p.name, p] as const))('%s: the fallback makes the edits the diff made', (_, p) => {
    const src = fs.readFileSync(p.file()!, 'utf8');
    expect(INK_PATCH_MARKS.find((m) => m.file === underNodeModules(p.file()!))?.mark).toBe(p.mark);
    for (const to of [p.to(p.mark), ...(p.also ?? []).map(([, t]) => t)]) expect(src).toContain(to);
  });

  it('the fast-path set holds only one-column characters that stand alone', () => {
    expect(members.length).toBeGreaterThan(800);
    const segmenter = new Intl.Segmenter();
    for (const c of members) {
      // Its width by the original algorithm (forced by SLOW), and it stays its own grapheme.
      expect(stringWidth(c + SLOW) - 1, `U+${c.codePointAt(0)!.toString(16)}`).toBe(1);
      expect([...segmenter.segment(`${c}${c}${SLOW}`)].length).toBe(3);
    }
    // The emoji-presentation neighbours were left out: they are two columns wide.
    for (const c of ['\u25FD', '\u2705', '\u274C', '\u2728']) {
      expect(narrow.test(c)).toBe(false);
      expect(stringWidth(c)).toBe(2);
    }
  });

  it("string widths on the fast path equal the original algorithm's", () => {
    for (const s of samples(500)) expect(stringWidth(s), JSON.stringify(s)).toBe(stringWidth(s + SLOW) - 1);
  });

  it('tokenizing and restyling on the fast path give what the original path gives', () => {
    for (const s of samples(500)) {
      const fast = styledCharsFromTokens(tokenize(s));
      const slow = styledCharsFromTokens(tokenize(s + SLOW)).slice(0, -1);
      expect(fast, JSON.stringify(s)).toEqual(slow);
      expect(styledCharsToString(fast)).toBe(styledCharsToString(slow));
    }
  });

  it('a character after a style change keeps its own style list (shared lists are never mutated)', () => {
    const chars = styledCharsFromTokens(tokenize('a\u001B[31mb\u001B[1mc\u001B[39md'));
    expect(chars.map((c) => c.styles.map((s) => s.code))).toEqual([[], ['\u001B[31m'], ['\u001B[31m', '\u001B[1m'], ['\u001B[1m']]);
  });

  it('truncation stays right across the truncation cache being emptied', () => {
    const inst = render(createElement(Text, { wrap: 'truncate-end' }, 'x'));
    const width = 100; // ink-testing-library's stdout
    for (let i = 0; i < 5000; i++) inst.rerender(createElement(Text, { wrap: 'truncate-end' }, `line ${i} ${'-'.repeat(width)}`));
    expect(inst.lastFrame()).toBe(`line 4999 ${'-'.repeat(width - 11)}…`);
    inst.unmount();
  });
});
