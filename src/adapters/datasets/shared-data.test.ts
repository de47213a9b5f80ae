import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateInstance } from '../../core/parse/validate.js';
import { parseSetting, type SettingId } from '../../core/setting.js';
import { loadSeedItems } from './load-seeds.js';
import { loadSeedManifest } from './manifest.js';
import { sharedDataDir } from './paths.js';
import { fullSetSource, resolveSeedSet } from './seed-resolver.js';

const dataDir = sharedDataDir();
const present = existsSync(dataDir);
if (!present) console.warn(`skipping the real-data seed tests: ${dataDir} is absent`);

const manifest = await loadSeedManifest();
const locals = Object.entries(manifest.settings).flatMap(([setting, entry]) =>
  entry.sets.filter((s) => s.local).map((set) => ({ setting: setting as SettingId, set })),
);

describe.skipIf(!present)('seed loaders on the real files in ../shared/data', () => {
  it.each(locals.map((l) => [`${l.setting} ${l.set.id}`, l] as const))(
    '%s: the manifest count, every row meeting the conventions',
    async (_label, { setting, set }) => {
      const file = path.join(dataDir, set.local!.path);
      if (!existsSync(file)) return void console.warn(`skipping ${set.id}: ${file} is absent`);
      const { domain } = parseSetting(setting);
      const items = await loadSeedItems(fullSetSource(set, dataDir).source, { normalize: domain, requireResponse: true });
      expect(items).toHaveLength(set.local!.count!);
      const failed = items.filter(
        (i) => !validateInstance({ instruction: i.instruction, response: i.response ?? '' }, { method: 'instance', domain, delimited: true }).ok,
      );
      // A handful of public rows break a convention (MATH without \boxed, LIMA essays past the length cap).
      expect(failed.length).toBeLessThanOrEqual(3);
    },
  );

  it('GSM8K: question/answer, answers rewritten to [RESULT]', async () => {
    const set = manifest.settings['math/instance']!.sets.find((s) => s.id === 'gsm8k-train')!;
    const items = await loadSeedItems(fullSetSource(set, dataDir).source, { normalize: 'math' });
    expect(items).toHaveLength(7473);
    expect(items[0]!.instruction).toMatch(/^Natalia sold clips to 48 of her friends/);
    expect(items[0]!.response).toBe('Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48+24 = 72 clips altogether in April and May.\n[RESULT] 72 [/RESULT]');
  });

  it('MATH: problem/solution, with the boxed answer as the result', async () => {
    const set = manifest.settings['math/instance']!.sets.find((s) => s.id === 'math-train')!;
    const items = await loadSeedItems(fullSetSource(set, dataDir).source, { normalize: 'math' });
    expect(items).toHaveLength(7500);
    expect(items[0]!.response).toMatch(/\\boxed\{0\}\$\.\n\[RESULT\] 0 \[\/RESULT\]$/);
  });

  it('MBPP: only the train split (task_id 601-974), code fenced', async () => {
    const set = manifest.settings['code/instance']!.sets.find((s) => s.id === 'mbpp-train')!;
    const raw = await loadSeedItems({ ...fullSetSource(set, dataDir).source, instruction: 'task_id' });
    expect(raw).toHaveLength(374);
    expect(raw[0]!.instruction).toBe('601');
    expect(raw.at(-1)!.instruction).toBe('974');
    const items = await loadSeedItems(fullSetSource(set, dataDir).source, { normalize: 'code' });
    expect(items.every((i) => i.response!.startsWith('```python\n') && !i.response!.includes('\r'))).toBe(true);
  });

  it('CoNaLa: rewritten_intent, falling back to intent where it is empty', async () => {
    const set = manifest.settings['code/quality']!.sets[0]!;
    const items = await loadSeedItems(fullSetSource(set, dataDir).source);
    expect(items).toHaveLength(2378);
    expect(items[0]).toEqual({
      instruction: "Concatenate elements of a list 'x' of multiple integers to a single integer",
      response: 'sum(d * 10 ** i for i, d in enumerate(x[::-1]))',
    });
    const intents = await loadSeedItems({ ...fullSetSource(set, dataDir).source, instruction: 'intent' });
    const fellBack = items.filter((it, i) => it.instruction === intents[i]!.instruction && it.instruction !== '');
    expect(fellBack.length).toBeGreaterThanOrEqual(79);
  });

  it('LIMA: the single-turn alpaca-style rows', async () => {
    const set = manifest.settings['inst/instance']!.sets[0]!;
    const items = await loadSeedItems(fullSetSource(set, dataDir).source);
    expect(items).toHaveLength(1000);
    expect(items[0]!.instruction).toMatch(/^Can brain cells move\?/);
    await expect(loadSeedItems({ path: path.join(dataDir, 'lima/lima.json'), instruction: 'instruction', response: 'output' })).resolves.toHaveLength(1029);
  });

  it('dotted paths on real nested rows: Arena-Hard turns and Magpie examples', async () => {
    const arena = await loadSeedItems({ path: path.join(dataDir, 'arena_hard/question.jsonl'), instruction: 'turns.0.content' });
    expect(arena).toHaveLength(500);
    const magpie = await loadSeedItems({ path: path.join(dataDir, 'magpie/example_instructions.jsonl'), instruction: 'instruction' });
    expect(magpie).toHaveLength(5);
  });

  it('resolves the full math/instance set from the local copies', async () => {
    const set = await resolveSeedSet('math/instance', undefined, { full: true, dataDir });
    expect(set.origin).toBe('full');
    expect(set.items).toHaveLength(7473 + 7500);
    expect(set.description).toContain('GSM8K train');
  });
});
