import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const mainScript = path.join(here, 'fake-llm-server-main.ts');
// `--import tsx` resolves from the working directory, so the child runs in the repo root.
const repoRoot = path.resolve(here, '../..');

export interface FakeLlmServerProcess {
  readonly url: string;
  readonly openaiBaseURL: string;
  readonly anthropicBaseURL: string;
  readonly child: ChildProcess;
  /** Sends SIGTERM and resolves with the exit code once the process is gone. */
  stop(): Promise<number | null>;
}

export interface SpawnFakeLlmServerOptions {
  readonly latencyMs?: number;
  readonly responderModule?: string;
  readonly seed?: number;
  readonly port?: number;
}

/** Starts fake-llm-server-main.ts as a child process and waits for its {"url"} line. */
export function spawnFakeLlmServer(opts: SpawnFakeLlmServerOptions = {}): Promise<FakeLlmServerProcess> {
  const args = ['--import', 'tsx', mainScript, '--port', String(opts.port ?? 0)];
  if (opts.latencyMs !== undefined) args.push('--latency-ms', String(opts.latencyMs));
  if (opts.responderModule !== undefined) args.push('--responder-module', path.resolve(opts.responderModule));
  if (opts.seed !== undefined) args.push('--seed', String(opts.seed));
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        const info = JSON.parse(line) as { url: string; openaiBaseURL: string; anthropicBaseURL: string };
        resolve({
          ...info,
          child,
          stop: () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      } catch {
        child.kill('SIGTERM');
        reject(new Error(`fake LLM server printed "${line}" instead of its JSON line`));
      }
    });
    void exited.then((code) => reject(new Error(`fake LLM server exited (code ${String(code)}) before listening: ${stderr.trim()}`)));
  });
}
