import fs from 'node:fs';
import path from 'node:path';
import { agoraResponder } from './agora-responder.js';
import { startFakeLlmServer, type FakeLlmServer } from './fake-llm-server.js';
import { tempDir } from './temp-run.js';

export type Cleanups = Array<() => Promise<void> | void>;

/** A fake LLM server, closed by `cleanups` (the test's afterEach runs them). */
export async function fakeServer(cleanups: Cleanups, opts: Parameters<typeof startFakeLlmServer>[0] = {}): Promise<FakeLlmServer> {
  const s = await startFakeLlmServer(opts);
  cleanups.push(() => s.close());
  return s;
}

export interface StandInSweep {
  readonly server: FakeLlmServer;
  readonly dir: string;
  readonly configFile: string;
}

/**
 * A sweep against a fake LLM server (agora's default responder unless given): a temp folder with
 * `sweep.yaml` written from `config(server)`; the server and the folder go with `cleanups`.
 */
export async function standInSweep(
  cleanups: Cleanups,
  config: (server: FakeLlmServer) => string,
  opts: Parameters<typeof startFakeLlmServer>[0] = { responder: agoraResponder() },
): Promise<StandInSweep> {
  const server = await fakeServer(cleanups, opts);
  const t = tempDir();
  cleanups.push(t.cleanup);
  const configFile = path.join(t.dir, 'sweep.yaml');
  fs.writeFileSync(configFile, config(server));
  return { server, dir: t.dir, configFile };
}
