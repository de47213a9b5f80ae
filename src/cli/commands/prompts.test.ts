import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { officialFiles, promptSetup } from '../../adapters/datasets/official-prompts.js';
import { projectRoot } from '../../adapters/datasets/paths.js';
import { parseGeneration } from '../../core/parse/parse-generation.js';
import { OFFICIAL_COMMIT } from '../../core/prompts/official.js';
import { renderInstancePrompt, renderQualityPrompt, renderResponsePrompt } from '../../core/prompts/render.js';
import { UsageError } from '../args.js';
import { promptsCommand } from './prompts.js';

// Our own text with the official placeholders, triggers and stop phrase (nothing of the official wording).
function fileText(name: string): string {
  if (name.startsWith('instance_generation')) {
    const demos = [1, 2, 3].map((i) => `[EXAMPLE ${i}]\nINPUT: <input${i}>\nOUTPUT: <output${i}>\n[END]`).join('\n\n');
    const first = name.includes('general') ? 'Begin with "<first_word>".\n' : '';
    return `Make a new item on "<input_theme>".\n${first}\n${demos}\n\n[NEW INSTANCE]\nINPUT: `;
  }
  if (name.startsWith('response_generation')) return `Answer it, then write [END].\n\nINPUT:\n<input>\n\nOUTPUT:\n`;
  return `Tidy the pair. Layout:\n<revised_question>\n\nRevised Answer: <revised_answer> [END]\n\nQuestion: <input>\nAnswer: <output>\n\nRevised Question: `;
}

let server: Server;
let base: string;
const requests: string[] = [];
let failName: string | undefined;
let work: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const name = path.basename(req.url ?? '');
    const m = /^\/neulab\/data-agora\/([0-9a-f]+)\/agora_scripts\/prompts\/([a-z_]+\.txt)$/.exec(req.url ?? '');
    if (!m || name === failName) {
      res.writeHead(404).end('404: Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(fileText(name));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'agora-prompts-'));
  requests.length = 0;
  failName = undefined;
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
    env: { AGORA_GITHUB_RAW_ENDPOINT: base, AGORA_CACHE_DIR: path.join(work, 'cache') },
    cwd: work,
  };
  return { code: await promptsCommand(argv, io), stdout, stderr };
}

describe('agora prompts fetch', () => {
  it('downloads the nine files at the pinned commit into the cache, and a run can use them', async () => {
    const r = await run(['fetch']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests).toHaveLength(9);
    for (const u of requests) expect(u).toContain(`/neulab/data-agora/${OFFICIAL_COMMIT}/agora_scripts/prompts/`);
    const dir = path.join(work, 'cache', 'prompts', OFFICIAL_COMMIT);
    expect(readdirSync(dir).sort()).toEqual(
      officialFiles()
        .map((f) => f.name)
        .sort(),
    );
    const setup = promptSetup({ metaPrompt: 'official' }, work, { AGORA_CACHE_DIR: path.join(work, 'cache') });
    expect(setup.variant).toBe('default');
    const p = renderInstancePrompt(
      {
        domain: 'inst',
        variant: 'default',
        demos: [
          { instruction: 'D1', response: 'R1' },
          { instruction: 'D2', response: 'R2' },
          { instruction: 'D3', response: 'R3' },
        ],
        topic: 'Travel',
        firstWord: 'Imagine ',
      },
      setup.templates,
    );
    expect(p.messages[0]!.role).toBe('system');
    expect(p.stop).toEqual(['[END]']);
    expect(p.messages.at(-1)!.content).toContain('Begin with "Imagine".\n\n[EXAMPLE 1]\nINPUT: D1\nOUTPUT: R1\n[END]');
  });

  it('leaves nothing behind when a file is missing, and exits 1', async () => {
    failName = 'quality_enhancement_general_prompt.txt';
    const r = await run(['fetch']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/quality_enhancement_general_prompt\.txt: HTTP 404/);
    expect(readdirSync(path.join(work, 'cache', 'prompts'))).toEqual([]);
  });

  it('rejects bad usage', async () => {
    await expect(run(['get'])).rejects.toThrow(UsageError);
    await expect(run(['fetch', '--commit', 'main; rm'])).rejects.toThrow(/commit hash/);
  });
});

describe('metaPrompt: official from a folder of prompt files', () => {
  it('renders every setting from the files, relative to the config, and the replies parse', () => {
    const dir = path.join(work, 'official');
    mkdirSync(dir);
    for (const f of officialFiles()) writeFileSync(path.join(dir, f.name), fileText(f.name));
    const { templates, variant } = promptSetup({ metaPrompt: 'official', officialPrompts: { dir: 'official' } }, work);
    const demos = [
      { instruction: 'D1', response: 'R1' },
      { instruction: 'D2', response: 'R2' },
      { instruction: 'D3', response: 'R3' },
    ];
    const r = renderResponsePrompt({ domain: 'math', variant, instruction: 'What is 6 x 7?' }, templates);
    expect(r.messages.at(-1)!.content).toBe('Answer it, then write [END].\n\nINPUT:\nWhat is 6 x 7?\n\nOUTPUT:');
    const q = renderQualityPrompt({ domain: 'code', variant, item: { instruction: 'dbl', response: 'x*2' } }, templates);
    expect(q.messages.at(-1)!.content).toContain('<revised_question>');
    expect(q.messages.at(-1)!.content.endsWith('Question: dbl\nAnswer: x*2\n\nRevised Question:')).toBe(true);
    const i = renderInstancePrompt({ domain: 'math', variant, demos, topic: 'Topology' }, templates);
    expect(i.messages.at(-1)!.content).toContain('on "Topology"');
    expect(
      parseGeneration({
        method: 'instance',
        domain: 'math',
        variant,
        text: ' Prove that a compact subset of a Hausdorff space is closed.\nOUTPUT: Take a point outside it ...\n[RESULT] Q.E.D. [/RESULT]\n[END]',
      }).ok,
    ).toBe(true);
    expect(
      parseGeneration({
        method: 'quality',
        domain: 'code',
        variant,
        text: ' Write dbl(x).\n\nRevised Answer: ```python\ndef dbl(x):\n    return 2 * x\n\nassert dbl(2) == 4\n``` [END]',
      }).ok,
    ).toBe(true);
  });

  it('names every missing file', () => {
    expect(() => promptSetup({ metaPrompt: 'official', officialPrompts: { dir: 'nowhere' } }, projectRoot())).toThrow(
      /agora prompts fetch[\s\S]*instance_generation_math_prompt\.txt: missing/,
    );
  });
});
