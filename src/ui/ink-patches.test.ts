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
import { mulberry32, randomChoice } from '../core/prompts/rng.js';

interface Patch {
  readonly name: string;
  readonly file: () => string | undefined;
  readonly mark: string;
}

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

describe('the postinstall patches to Ink\'s text pipeline (scripts/patch-deps.mjs)', () => {
  it.each((PATCHES as Patch[]).map((p) => [p.name, p] as const))('%s: is in place', (_, p) => {
    const file = p.file();
    expect(file, `${p.name}: its file is missing`).toBeDefined();
    expect(fs.readFileSync(file!, 'utf8'), `${path.basename(file!)} lacks the patch; run npm install`).toContain(p.mark);
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

  it('string widths on the fast path equal the original algorithm\'s', () => {
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
