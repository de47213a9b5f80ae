import { afterAll, beforeAll, beforeEach } from 'vitest';
import { defaultResponder, startFakeLlmServer, type FakeLlmServer } from './fake-llm-server.js';

/**
 * One fake LLM server for a test file, started once and put back to its defaults (no faults,
 * counters at zero, the default responder) before each test. `onStart` receives it.
 */
export function useSharedFakeServer(onStart: (server: FakeLlmServer) => void): void {
  let server: FakeLlmServer | undefined;
  beforeAll(async () => {
    server = await startFakeLlmServer();
    onStart(server);
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    server!.clearFaults();
    server!.resetStats();
    server!.setResponder(defaultResponder);
  });
}
