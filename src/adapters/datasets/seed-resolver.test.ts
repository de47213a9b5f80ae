import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateInstance } from '../../core/parse/validate.js';
import { ALL_SETTINGS, parseSetting } from '../../core/setting.js';
import { loadSeedManifest } from './manifest.js';
import { bundledSeedsDir, displayPath, projectRoot } from './paths.js';
import { loadSeedItems } from './load-seeds.js';
import { fullSetSource, resolveSeeds, resolveSeedSet } from './seed-resolver.js';

describe('bundled seeds', () => {
  it.each(ALL_SETTINGS.map((s) => [s]))('%s: 20-30 items in the right shape', async (setting) => {
    const { domain, method } = parseSetting(setting);
    const set = await resolveSeedSet(setting, undefined);
    expect(set.origin).toBe('bundled');
    expect(set.items.length).toBeGreaterThanOrEqual(20);
    expect(set.items.length).toBeLessThanOrEqual(30);
    const keys = new Set(set.items.map((i) => i.instruction.toLowerCase()));
    expect(keys.size).toBe(set.items.length);
    for (const item of set.items) {
      expect(item.instruction.trim().length).toBeGreaterThan(5);
      if (method === 'response') expect(item.response).toBeUndefined();
      else expect(item.response?.trim()).toBeTruthy();
      // Instance-generation seeds are demos: they must meet the conventions the prompts demand.
      if (method === 'instance') {
        const r = validateInstance({ instruction: item.instruction, response: item.response ?? '' }, { method, domain, delimited: true });
        expect(r, item.instruction).toMatchObject({ ok: true });
      }
      if (method === 'quality' && domain === 'code') expect(item.response).toMatch(/^```python\n[\s\S]*\n```$/);
    }
  });

  it('the manifest is valid and names every bundled file', async () => {
    const manifest = await loadSeedManifest();
    for (const id of ALL_SETTINGS) {
      const entry = manifest.settings[id]!;
      expect(entry.bundled).toBe(`${id.replace('/', '-')}.jsonl`);
      expect(readFileSync(path.join(bundledSeedsDir(), entry.bundled), 'utf8').length).toBeGreaterThan(0);
      expect(entry.sets.length).toBeGreaterThan(0);
    }
    expect(manifest.settings['code/instance']!.sets.map((s) => s.id)).toEqual(['mbpp-train', 'xp3x-code']);
  });
});

describe('resolveSeeds', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("prefers the config's source, resolving its path from the config's folder", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'agora-cfg-'));
    writeFileSync(path.join(dir, 'mine.jsonl'), ['{"q":"Add 2 and 3.","a":"5\\n#### 5"}', '{"q":"Add 4 and 4.","a":"8\\n#### 8"}'].join('\n'));
    const config = { 'math/instance': { path: 'mine.jsonl', instruction: 'q', response: 'a', split: 'train' } } as never;
    const set = await resolveSeedSet('math/instance', config, { baseDir: dir });
    expect(set.origin).toBe('config');
    expect(set.items).toEqual([
      { instruction: 'Add 2 and 3.', response: '5\n[RESULT] 5 [/RESULT]' },
      { instruction: 'Add 4 and 4.', response: '8\n[RESULT] 8 [/RESULT]' },
    ]);
    expect(await resolveSeeds('math/instance', config, { baseDir: dir, normalize: false })).toEqual([
      { instruction: 'Add 2 and 3.', response: '5\n#### 5' },
      { instruction: 'Add 4 and 4.', response: '8\n#### 8' },
    ]);
    // Other settings still come from the bundled files.
    expect((await resolveSeedSet('math/response', config, { baseDir: dir })).origin).toBe('bundled');
  });

  it('refuses a config source without responses where the method needs them, or too few items', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'agora-cfg-'));
    writeFileSync(path.join(dir, 'one.jsonl'), '{"q":"Only one question here","a":"x"}\n');
    await expect(resolveSeeds('inst/quality', { 'inst/quality': { path: 'one.jsonl', instruction: 'q' } } as never, { baseDir: dir })).rejects.toThrow(
      /needs responses/,
    );
    await expect(
      resolveSeeds('inst/instance', { 'inst/instance': { path: 'one.jsonl', instruction: 'q', response: 'a' } } as never, { baseDir: dir }),
    ).rejects.toThrow(/gives 1 seed item\(s\), at least 2 needed/);
    await expect(resolveSeeds('inst/response', { 'inst/response': { path: 'one.jsonl', instruction: 'q' } } as never, { baseDir: dir })).resolves.toHaveLength(
      1,
    );
  });

  it('takes the bundled files from another project root when given one', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'agora-root-'));
    await expect(resolveSeeds('math/instance', undefined, { repoRoot: dir })).rejects.toThrow(/manifest\.json/);
    expect((await resolveSeeds('math/instance', undefined, { repoRoot: projectRoot() })).length).toBeGreaterThan(0);
  });

  it('uses local copies of the full sets, and says which set cannot be downloaded', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'agora-data-'));
    mkdirSync(path.join(dir, 'mbpp'));
    const mbpp = [1, 601, 974, 975].map((id) => JSON.stringify({ task_id: id, text: `Task number ${id}`, code: `def f():\r\n    return ${id}` }));
    writeFileSync(path.join(dir, 'mbpp', 'mbpp.jsonl'), mbpp.join('\n'));
    const manifest = await loadSeedManifest();
    const mbppSet = manifest.settings['code/instance']!.sets[0]!;
    const { source } = fullSetSource(mbppSet, dir);
    expect(await loadSeedItems(source, { normalize: 'code' })).toEqual([
      { instruction: 'Task number 601', response: '```python\ndef f():\n    return 601\n```' },
      { instruction: 'Task number 974', response: '```python\ndef f():\n    return 974\n```' },
    ]);
    // Issue 9: xP3x's code subset cannot be downloaded; code/instance runs on MBPP train alone
    // instead of being blocked, and says what it left out.
    const set = await resolveSeedSet('code/instance', undefined, { full: true, dataDir: dir });
    expect(set.items.map((i) => i.instruction)).toEqual(['Task number 601', 'Task number 974']);
    expect(set.leftOut).toEqual([expect.stringMatching(/^xP3x \(code subset\): cannot be downloaded/)]);
    expect(set.description).toMatch(/MBPP train .*; without xP3x \(code subset\)/);
  });

  it('shows paths relative to the working folder when inside it', () => {
    expect(displayPath(path.join(process.cwd(), 'seeds', 'x.jsonl'))).toBe(path.join('seeds', 'x.jsonl'));
    expect(displayPath('/elsewhere/x.jsonl', '/work/main')).toBe('/elsewhere/x.jsonl');
  });
});
