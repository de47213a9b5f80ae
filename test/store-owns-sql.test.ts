import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/temp-run.js';

// SQL lives in src/store/ repositories (issue 14); the dependency rules keep better-sqlite3 there,
// but any module holding a Db could still prepare a statement. This finds such calls in the
// production sources outside the store (tests may inspect the store with SQL of their own).
const SQL_CALL = /\.(prepare|pragma|transaction)\s*[<(]|\.exec\(\s*`/;

function productionFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : productionFiles(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

export function sqlOutsideStore(srcDir: string): string[] {
  return productionFiles(srcDir)
    .filter((f) => !path.relative(srcDir, f).startsWith(`store${path.sep}`))
    .flatMap((f) =>
      fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (SQL_CALL.test(line) ? [`${path.relative(srcDir, f)}:${i + 1}: ${line.trim()}`] : [])),
    );
}

describe('the store owns SQL', () => {
  it('finds a statement prepared outside src/store, and a transaction opened there', () => {
    const dir = fs.mkdtempSync(path.join(REPO_ROOT, '.scratch-sql-'));
    try {
      fs.mkdirSync(path.join(dir, 'engine'));
      fs.mkdirSync(path.join(dir, 'store'));
      fs.writeFileSync(path.join(dir, 'engine', 'driver.ts'), 'db.prepare(`UPDATE cells SET error = ?`).run(e);\nconst m = /x/.exec(s);\n');
      fs.writeFileSync(path.join(dir, 'engine', 'lock.ts'), 'db\n  .transaction(() => 1)\n  .immediate();\n');
      fs.writeFileSync(path.join(dir, 'engine', 'driver.test.ts'), 'db.prepare(`SELECT 1`).get();\n');
      fs.writeFileSync(path.join(dir, 'store', 'repo.ts'), 'db.prepare(`SELECT 1`).get();\n');
      expect(sqlOutsideStore(dir)).toEqual([
        `engine${path.sep}driver.ts:1: db.prepare(\`UPDATE cells SET error = ?\`).run(e);`,
        `engine${path.sep}lock.ts:2: .transaction(() => 1)`,
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has no SQL in the production sources outside src/store', () => {
    expect(sqlOutsideStore(path.join(REPO_ROOT, 'src'))).toEqual([]);
  });
});
