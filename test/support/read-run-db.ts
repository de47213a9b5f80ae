import fs from 'node:fs';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openStore, type Db } from '../../src/store/open-store.js';

/**
 * Reads a run's database that a conductor in another process may still be creating: the file
 * appears a moment before its first migration, and its tables one migration at a time. Until
 * the schema is complete the answer is undefined ("not yet"), so a waiting test polls again;
 * any other error (a typo in the test's SQL) is thrown, not waited out.
 */
export function readRunDb<T>(file: string, read: (db: Db) => T): T | undefined {
  if (!fs.existsSync(file)) return undefined;
  const db = openStore(file, { readonly: true });
  try {
    if ((db.pragma('user_version', { simple: true }) as number) < MIGRATIONS.length) return undefined;
    return read(db);
  } finally {
    db.close();
  }
}
