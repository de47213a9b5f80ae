import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPath, lookupField, matchesFilters } from './field-map.js';
import { loadSeedItems } from './load-seeds.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'agora-seeds-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  writeFileSync(path.join(dir, name), text);
  return name;
};
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('field mapping', () => {
  const row = { turns: [{ content: 'hello' }], conversations: [{ from: 'human', value: 'hi' }], intent: 'raw', rewritten_intent: null, n: 3, empty: '' };

  it('follows dotted paths through objects and arrays', () => {
    expect(getPath(row, 'turns.0.content')).toBe('hello');
    expect(getPath(row, 'conversations.0.value')).toBe('hi');
    expect(getPath(row, 'turns.1.content')).toBeUndefined();
    expect(getPath(row, 'turns.x')).toBeUndefined();
  });

  it('takes the first non-empty alternative', () => {
    expect(lookupField(row, 'rewritten_intent|intent')).toEqual({ ok: true, value: 'raw' });
    expect(lookupField(row, 'empty|intent')).toEqual({ ok: true, value: 'raw' });
    expect(lookupField(row, 'n')).toEqual({ ok: true, value: '3' });
    expect(lookupField(row, 'nope|missing')).toEqual({ ok: false, problem: 'field "nope|missing" missing' });
    expect(lookupField(row, 'empty')).toEqual({ ok: false, problem: 'field "empty" is empty' });
    expect(lookupField(row, 'turns')).toMatchObject({ ok: false, problem: expect.stringContaining('not text') });
  });

  it('filters by range, value, list and emptiness', () => {
    expect(matchesFilters({ task_id: 601 }, [{ field: 'task_id', min: 601, max: 974 }])).toBe(true);
    expect(matchesFilters({ task_id: 600 }, [{ field: 'task_id', min: 601, max: 974 }])).toBe(false);
    expect(matchesFilters({ task_id: '975' }, { field: 'task_id', max: 974 })).toBe(false);
    expect(matchesFilters({ c: 'Math' }, [{ field: 'c', equals: 'Math' }])).toBe(true);
    expect(matchesFilters({ c: 'Code' }, [{ field: 'c', in: ['Math', 'Logic'] }])).toBe(false);
    expect(matchesFilters({ history: [] }, [{ field: 'history', empty: true }])).toBe(true);
    expect(matchesFilters({ history: [['q', 'a']] }, [{ field: 'history', empty: true }])).toBe(false);
    expect(
      matchesFilters({ a: 1 }, [
        { field: 'a', min: 0 },
        { field: 'a', max: 0 },
      ]),
    ).toBe(false);
  });
});

describe('loadSeedItems from files', () => {
  it('maps JSONL rows with dotted paths and fallbacks', async () => {
    const file = write(
      'x.jsonl',
      jsonl([
        { turns: [{ content: 'q1' }], out: { text: 'r1' } },
        { turns: [{ content: 'q2' }], alt: 'r2' },
      ]),
    );
    const items = await loadSeedItems({ path: file, instruction: 'turns.0.content', response: 'out.text|alt' }, { baseDir: dir });
    expect(items).toEqual([
      { instruction: 'q1', response: 'r1' },
      { instruction: 'q2', response: 'r2' },
    ]);
  });

  it('skips blank lines, applies filters before mapping and stops at the limit', async () => {
    const file = write(
      'm.jsonl',
      `${JSON.stringify({ task_id: 1 })}\n\n${jsonl([
        { task_id: 601, text: 't601', code: 'c' },
        { task_id: 602, text: 't602', code: 'c' },
        { task_id: 603, text: 't603', code: 'c' },
      ])}`,
    );
    const items = await loadSeedItems(
      { path: file, instruction: 'text', response: 'code', limit: 2, filter: [{ field: 'task_id', min: 601 }] },
      { baseDir: dir },
    );
    expect(items.map((i) => i.instruction)).toEqual(['t601', 't602']);
  });

  it('reads JSON arrays, and names the line of a bad element', async () => {
    const file = write('a.json', '[\n  {"q": "one", "a": "1"},\n  {"q": "two"},\n  {"q": "three", "a": "3"}\n]\n');
    await expect(loadSeedItems({ path: file, instruction: 'q' }, { baseDir: dir })).resolves.toHaveLength(3);
    await expect(loadSeedItems({ path: file, instruction: 'q', response: 'a' }, { baseDir: dir })).rejects.toThrow('a.json:3: field "a" missing');
  });

  it('names file and line for invalid JSON Lines', async () => {
    const file = write('bad.jsonl', jsonl([{ question: 'a' }, { question: 'b' }]) + '{"question": "c",\n');
    await expect(loadSeedItems({ path: file, instruction: 'question' }, { baseDir: dir })).rejects.toThrow(/[/]bad\.jsonl:3: invalid JSON/);
  });

  it('names the line of invalid JSON in an array file', async () => {
    const file = write('bad.json', '[\n {"q": "a"},\n {"q": "b",}\n]');
    await expect(loadSeedItems({ path: file, instruction: 'q' }, { baseDir: dir })).rejects.toThrow(/bad\.json:3: invalid JSON/);
  });

  it('names file and line for a missing or empty field', async () => {
    const rows = Array.from({ length: 16 }, (_, i) => ({ question: `q${i}` }));
    const file = write('x.jsonl', jsonl([...rows, { prompt: 'no question' }]));
    await expect(loadSeedItems({ path: file, instruction: 'question' }, { baseDir: dir })).rejects.toThrow('x.jsonl:17: field "question" missing');
    const empty = write('e.jsonl', jsonl([{ question: '   ' }]));
    await expect(loadSeedItems({ path: empty, instruction: 'question' }, { baseDir: dir })).rejects.toThrow('e.jsonl:1: field "question" is empty');
  });

  it('rejects rows that are not objects, a missing file, and a JSON file that is not an array', async () => {
    const file = write('s.jsonl', '"just a string"\n');
    await expect(loadSeedItems({ path: file, instruction: 'q' }, { baseDir: dir })).rejects.toThrow('s.jsonl:1: expected a JSON object');
    await expect(loadSeedItems({ path: 'nope.jsonl', instruction: 'q' }, { baseDir: dir })).rejects.toThrow(/nope\.jsonl: file not found/);
    const obj = write('o.json', '{"rows": []}');
    await expect(loadSeedItems({ path: obj, instruction: 'q' }, { baseDir: dir })).rejects.toThrow(/o\.json: expected a JSON array/);
  });

  it('detects the format from the content when the extension says nothing', async () => {
    const file = write('rows.txt', '[{"q": "x"}]');
    await expect(loadSeedItems({ path: file, instruction: 'q' }, { baseDir: dir })).resolves.toEqual([{ instruction: 'x' }]);
    const forced = write('rows.data', jsonl([{ q: 'y' }]));
    await expect(loadSeedItems({ path: forced, instruction: 'q', format: 'jsonl' }, { baseDir: dir })).resolves.toEqual([{ instruction: 'y' }]);
  });

  it('requires a response mapping when asked, and normalises by domain', async () => {
    const file = write('c.jsonl', jsonl([{ intent: 'reverse s', snippet: 's[::-1]' }]));
    await expect(loadSeedItems({ path: file, instruction: 'intent' }, { baseDir: dir, requireResponse: true })).rejects.toThrow(/needs responses/);
    await expect(loadSeedItems({ path: file, instruction: 'intent', response: 'snippet' }, { baseDir: dir, normalize: 'code' })).resolves.toEqual([
      { instruction: 'reverse s', response: '```python\ns[::-1]\n```' },
    ]);
  });
});
