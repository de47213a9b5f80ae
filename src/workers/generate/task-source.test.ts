import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testConfig } from '../../../test/support/temp-run.js';
import { loadPromptTemplates } from '../../adapters/datasets/prompt-files.js';
import { FIRST_WORDS } from '../../core/prompts/openers.js';
import { listCells } from '../../store/cell-repo.js';
import { InstanceRepo } from '../../store/instance-repo.js';
import { openStore } from '../../store/open-store.js';
import { syncRunFromConfig } from '../../store/run-repo.js';
import { instanceSource } from './task-source.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const templates = loadPromptTemplates(undefined, { variants: ['default'] });
const seeds = Array.from({ length: 20 }, (_, i) => ({ instruction: `seed question ${i}`, response: `seed answer ${i}` }));

function cellWith(n: number) {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const db = openStore(path.join(t.dir, 'agora.db'));
  cleanups.unshift(() => db.close());
  syncRunFromConfig(db, testConfig({ instancesPerCell: 1000 }));
  const cellId = listCells(db)[0]!.id;
  const repo = new InstanceRepo(db);
  db.transaction(() => {
    for (let i = 1; i <= n; i++)
      repo.accept({
        cellId,
        instruction: `generated question ${i}`,
        response: `generated answer ${i}`,
        instructionKey: `k${i}`,
        seedIndex: null,
        callId: null,
      });
  }).immediate();
  return { repo, cellId };
}

describe('instance generation demos', () => {
  it('shows two seeds and one instance drawn from everything generated so far', () => {
    const { repo, cellId } = cellWith(300);
    const ctx = { domain: 'inst' as const, method: 'instance' as const, variant: 'default' as const, seeds, templates, seed: 42, maxTokens: 4096 };
    const source = instanceSource(ctx, (rng) => repo.sampleAccepted(cellId, rng), 0);
    const drawn = new Set<number>();
    const openers = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const item = source.next()!;
      const demos = item.source.demos!;
      expect(demos.filter((d) => d.instruction.startsWith('seed '))).toHaveLength(2);
      const generated = demos.filter((d) => d.instruction.startsWith('generated '));
      expect(generated).toHaveLength(1);
      drawn.add(Number(generated[0]!.instruction.split(' ').at(-1)));
      const user = item.prompt.messages.at(-1)!.content;
      const opener = FIRST_WORDS.find((w) => user.includes(`"${w.trim()}"`));
      expect(opener, 'the prompt names a first word').toBeDefined();
      openers.add(opener!);
      expect(item.prompt.messages[0]!.role).toBe('system');
    }
    // The 16 most recent (285-300) were all that was ever shown before; now the old ones come too.
    expect([...drawn].filter((s) => s <= 284).length).toBeGreaterThan(200);
    expect(openers.size).toBeGreaterThan(50);
  });

  it('uses three seeds while nothing is accepted', () => {
    const { repo, cellId } = cellWith(0);
    const ctx = { domain: 'math' as const, method: 'instance' as const, variant: 'default' as const, seeds, templates, seed: 1, maxTokens: 4096 };
    const item = instanceSource(ctx, (rng) => repo.sampleAccepted(cellId, rng), 0).next()!;
    expect(item.source.demos!.every((d) => d.instruction.startsWith('seed '))).toBe(true);
    expect(item.source.demos).toHaveLength(3);
  });
});
