#!/usr/bin/env node
// Runs the TypeScript sources through tsx so that the CLI, its worker processes and the
// tests all execute the same code; there is no separate build to go stale.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/entry.ts');
