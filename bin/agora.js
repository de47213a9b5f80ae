#!/usr/bin/env node
// Runs the compiled dist/ when it is up to date (always, in an installed package: it ships no
// sources), else the TypeScript sources through tsx, so a developer never runs a stale build.
// See bin/pick-entry.js.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pickEntry } from './pick-entry.js';

// React's development build keeps every frame's data and is several times slower; the
// dashboard runs for days, so production is the default unless a developer says otherwise.
process.env.NODE_ENV ??= 'production';
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = pickEntry(root);
if (entry.kind === 'source') {
  // tsx looks for tsconfig.json in the working directory; agora runs from anywhere (and its
  // workers inherit this), so point it at the project's own.
  process.env.TSX_TSCONFIG_PATH ??= path.join(root, 'tsconfig.json');
  const { register } = await import('tsx/esm/api');
  register();
}
await import(pathToFileURL(entry.file).href);
