import type { GeneratorConfig } from '../../src/config/schema.js';
import type { FakeLlmServer } from './fake-llm-server-types.js';

/** A test key shaped like a real one, so scrubbing is tested against the real shape. */
export const fakeOpenAiKey = 'sk-proj-fakeKEY0123456789abcdef';
export const fakeAnthropicKey = 'sk-ant-api03-fakeKEY0123456789abcdef';

export const fakeEnv: NodeJS.ProcessEnv = { OPENAI_API_KEY: fakeOpenAiKey, ANTHROPIC_API_KEY: fakeAnthropicKey };

/** A generator config that points the given provider at the fake server (short timeout, fast tests). */
export function fakeGenerator(
  server: Pick<FakeLlmServer, 'openaiBaseURL' | 'anthropicBaseURL'>,
  provider: GeneratorConfig['provider'],
  overrides: Partial<GeneratorConfig> = {},
): GeneratorConfig {
  return {
    id: `fake-${provider}`,
    provider,
    model: provider === 'anthropic' ? 'claude-fake' : 'gpt-fake',
    baseURL: provider === 'anthropic' ? server.anthropicBaseURL : server.openaiBaseURL,
    price: { input: 1, output: 2 },
    concurrency: 4,
    timeoutSeconds: 5,
    maxRetries: 3,
    ...overrides,
  };
}

/** Polls until `condition` holds (every 5 ms, up to `timeoutMs`), instead of sleeping a fixed time. */
export async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${condition.toString()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
