/**
 * Runs the fake LLM server as its own process:
 *   node --import tsx test/support/fake-llm-server-main.ts --port 0 [--latency-ms N] [--responder-module PATH] [--seed N]
 * Prints one JSON line {"url", "openaiBaseURL", "anthropicBaseURL"} on stdout once listening; exits on SIGTERM/SIGINT.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startFakeLlmServer } from './fake-llm-server.js';
import type { FakeResponder } from './fake-llm-server-types.js';

function fail(message: string): never {
  process.stderr.write(`fake-llm-server: ${message}\n`);
  process.exit(2);
}

function nonNegativeInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
}

async function loadResponder(modulePath: string): Promise<FakeResponder> {
  const abs = path.resolve(modulePath);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (e) {
    fail(`cannot import --responder-module ${abs}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof mod.default !== 'function') fail(`--responder-module ${abs} has no default export function (the responder)`);
  return mod.default as FakeResponder;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'latency-ms': { type: 'string' },
        'responder-module': { type: 'string' },
        seed: { type: 'string' },
      },
      strict: true,
    }));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const responderPath = values['responder-module'];
  const server = await startFakeLlmServer({
    port: nonNegativeInt('port', values.port, 0),
    latencyMs: nonNegativeInt('latency-ms', values['latency-ms'], 0),
    seed: nonNegativeInt('seed', values.seed, 1),
    ...(responderPath !== undefined && { responder: await loadResponder(responderPath) }),
  });
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ url: server.url, openaiBaseURL: server.openaiBaseURL, anthropicBaseURL: server.anthropicBaseURL })}\n`);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
