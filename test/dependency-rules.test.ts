import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './support/temp-run.js';

// The layering rules of .dependency-cruiser.cjs, run by the real depcruise on a small tree that
// breaks each rule once, beside imports the rules allow: each rule must fire exactly where it
// is broken and nowhere else (a rule whose path never matches would pass any tree).
const FIXTURE: Record<string, string> = {
  'src/core/domain.ts': `import path from 'node:path';\nexport interface Price { usd: number }\nexport const p: Price | undefined = undefined;\nexport const j = path.join;\n`,
  'src/core/reads-store.ts': `import { db } from '../store/repo.js';\nexport const x = db;\n`,
  'src/core/reads-config-type.ts': `import type { Parsed } from '../config/schema.js';\nexport const t: Parsed | undefined = undefined;\n`,
  'src/core/reads-config-value.ts': `import { schema } from '../config/schema.js';\nexport const y = schema;\n`,
  'src/core/does-io.ts': `import fs from 'node:fs';\nexport const z = fs.existsSync;\n`,
  'src/core/uses-package.ts': `import { parse } from 'yaml';\nexport const q = parse;\n`,
  'src/config/schema.ts': `import type { Price } from '../core/domain.js';\nexport type Parsed = Price;\nexport const schema = 1;\n`,
  'src/store/repo.ts': `import Database from 'better-sqlite3';\nexport const db = Database;\nexport type Db = InstanceType<typeof Database>;\n`,
  'src/ui/view.tsx': `import { p } from '../core/domain.js';\nimport { e } from '../engine/driver.js';\nexport const v = [p, e];\n`,
  'src/engine/driver.ts': `import type { Db } from '../store/repo.js';\nimport { w } from '../workers/work.js';\nexport const e: Db | string = w;\n`,
  'src/store/uses-engine.ts': `import { e } from '../engine/driver.js';\nexport const s = e;\n`,
  'src/workers/work.ts': `export const w = 'w';\n`,
  'src/cli/raw-sql.ts': `import Database from 'better-sqlite3';\nexport const c = Database;\n`,
  'src/cli/a.ts': `import { b } from './b.js';\nexport const a = () => b;\n`,
  'src/cli/b.ts': `import { a } from './a.js';\nexport const b = () => a;\n`,
};

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

let tmp: { dir: string; cleanup: () => void };
let violations: Violation[];

beforeAll(async () => {
  tmp = tempDir('agora-deps-');
  for (const [file, text] of Object.entries(FIXTURE)) {
    fs.mkdirSync(path.dirname(path.join(tmp.dir, file)), { recursive: true });
    fs.writeFileSync(path.join(tmp.dir, file), text);
  }
  fs.copyFileSync(path.join(REPO_ROOT, 'tsconfig.json'), path.join(tmp.dir, 'tsconfig.json'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(tmp.dir, 'node_modules'));
  const bin = path.join(REPO_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const args = [bin, 'src', '--config', path.join(REPO_ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'];
  // depcruise exits non-zero when a rule is broken, which is what this tree is for.
  const out = await promisify(execFile)(process.execPath, args, { cwd: tmp.dir, maxBuffer: 1 << 26 }).catch((e: { stdout?: string }) => ({
    stdout: e.stdout ?? '',
  }));
  violations = (JSON.parse(out.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}, 60_000);

afterAll(() => tmp?.cleanup());

const broken = (rule: string) =>
  violations
    .filter((v) => v.rule.name === rule)
    .map((v) => `${v.from} -> ${v.to}`)
    .sort();

describe('dependency rules', () => {
  it('core imports nothing of the app outside core, not even a config type, and does no I/O', () => {
    // Config derives from core (issue 14, one schema source): a type-only import of config is as forbidden as a value.
    expect(broken('core-is-core-only')).toEqual([
      'src/core/reads-config-type.ts -> src/config/schema.ts',
      'src/core/reads-config-value.ts -> src/config/schema.ts',
      'src/core/reads-store.ts -> src/store/repo.ts',
    ]);
    expect(broken('core-has-no-io')).toEqual(['src/core/does-io.ts -> fs']);
    expect(broken('core-no-packages')).toHaveLength(1);
    expect(broken('core-no-packages')[0]).toMatch(/^src\/core\/uses-package\.ts -> .*node_modules\/yaml\//);
  });

  it('ui imports only core; the engine never imports workers', () => {
    expect(broken('ui-only-core')).toEqual(['src/ui/view.tsx -> src/engine/driver.ts']);
    expect(broken('engine-not-workers')).toEqual(['src/engine/driver.ts -> src/workers/work.ts']);
  });

  it('the store imports only core, config and itself', () => {
    expect(broken('store-below-engine')).toEqual(['src/store/uses-engine.ts -> src/engine/driver.ts']);
  });

  it('only the store imports better-sqlite3 (a type from the store is fine)', () => {
    expect(broken('only-store-touches-sqlite')).toHaveLength(1);
    expect(broken('only-store-touches-sqlite')[0]).toMatch(/^src\/cli\/raw-sql\.ts -> .*node_modules\/better-sqlite3\//);
  });

  it('finds import cycles (one violation per cycle)', () => {
    expect(broken('no-circular')).toEqual(['src/cli/a.ts -> src/cli/b.ts']);
  });

  it('breaks no other rule: the allowed imports (config -> core types, ui -> core, a store type in the engine) pass', () => {
    expect(violations).toHaveLength(10);
  });
});
