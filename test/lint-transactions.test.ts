import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/temp-run.js';

// The lint rule that keeps every SQLite transaction's mode explicit (eslint.config.js): a
// deferred write fails at once in WAL mode when another process wrote meanwhile.
describe('transaction mode lint', () => {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const lint = async (code: string) =>
    (await eslint.lintText(code, { filePath: path.join(REPO_ROOT, 'src/store/job-repo.ts') }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-syntax');

  it('flags a transaction run without naming its mode, called at once or kept for later', async () => {
    expect(await lint(`declare const db: { transaction(f: () => void): (() => void) & { immediate(): void } };\ndb.transaction(() => {})();\n`)).toHaveLength(
      1,
    );
    expect(
      await lint(`declare const db: { transaction(f: () => void): (() => void) & { immediate(): void } };\nconst tx = db.transaction(() => {});\ntx();\n`),
    ).toHaveLength(1);
  });

  it('accepts .immediate() and .deferred()', async () => {
    expect(
      await lint(
        `declare const db: { transaction(f: () => void): { immediate(): void; deferred(): void } };\ndb.transaction(() => {}).immediate();\ndb.transaction(() => {}).deferred();\n`,
      ),
    ).toEqual([]);
  });
});
