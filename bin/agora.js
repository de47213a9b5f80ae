#!/usr/bin/env node
// Runs the TypeScript sources through tsx so that the CLI, its worker processes and the
// tests all execute the same code; there is no separate build to go stale.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// React's development build keeps every frame's data and is several times slower; the
// dashboard runs for days, so production is the default unless a developer says otherwise.
process.env.NODE_ENV ??= 'production';
// tsx looks for tsconfig.json in the working directory; agora runs from anywhere (and its
// workers inherit this), so point it at the project's own.
process.env.TSX_TSCONFIG_PATH ??= path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'tsconfig.json');
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/entry.ts');
