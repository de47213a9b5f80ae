import { expect } from 'vitest';
import type { MetricEndpointOptions } from '../../src/adapters/metrics/metric-endpoint.js';
import { ProviderError } from '../../src/core/ports.js';
import type { FakeLlmServer } from './fake-llm-server.js';
import { useSharedFakeServer } from './shared-fake-server.js';

/**
 * The metric clients' tests (test/metrics-*.test.ts): one stand-in per file, reset before each
 * test, and the endpoint options that point a client at it with retries a few ms apart.
 */
export function useMetricServer(): { server: () => FakeLlmServer; endpoint: (extra?: Partial<MetricEndpointOptions>) => MetricEndpointOptions } {
  let server: FakeLlmServer | undefined;
  useSharedFakeServer((s) => (server = s));
  return {
    server: () => server!,
    // No `/v1`: the clients add it (and the reward client's pooling lives at the root either way).
    endpoint: (extra = {}) => ({ baseURL: server!.url, model: 'base', timeoutMs: 5_000, maxRetries: 2, baseDelayMs: 1, ...extra }),
  };
}

export const freshSignal = () => new AbortController().signal;

/** The ProviderError a call rejects with; fails the test when it resolves or throws anything else. */
export async function providerFailure(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}
