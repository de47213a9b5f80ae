import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnFakeLlmServer } from './fake-llm-server-process.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fake-llm-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fake-llm-server-main', () => {
  it('serves with a responder module, prints its URLs, and exits 0 on SIGTERM', async () => {
    const responder = path.join(dir, 'responder.mjs');
    writeFileSync(responder, 'export default (req) => `custom ${req.provider} ${req.model} ${req.messages.length}`;\n');
    const proc = await spawnFakeLlmServer({ responderModule: responder, latencyMs: 1 });
    try {
      expect(proc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(proc.openaiBaseURL).toBe(`${proc.url}/v1`);
      const res = await fetch(`${proc.anthropicBaseURL}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-x', max_tokens: 50, system: 's', messages: [{ role: 'user', content: 'u' }] }),
      });
      expect(await res.json()).toMatchObject({ content: [{ text: 'custom anthropic claude-x 2' }] });
    } finally {
      expect(await proc.stop()).toBe(0);
    }
  });

  it('fails with a message naming a responder module that has no default export', async () => {
    const bad = path.join(dir, 'bad.mjs');
    writeFileSync(bad, 'export const responder = () => "x";\n');
    await expect(spawnFakeLlmServer({ responderModule: bad })).rejects.toThrow(/bad\.mjs has no default export/);
  });
});
