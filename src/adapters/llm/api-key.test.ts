import { describe, expect, it } from 'vitest';
import type { GeneratorConfig } from '../../config/schema.js';
import { ProviderError } from '../../core/ports.js';
import { apiKeyEnvName, missingKeyReason, placeholderApiKey, resolveApiKey } from './api-key.js';
import { createScrubber } from './scrub-secrets.js';

function gen(provider: GeneratorConfig['provider'], extra: Partial<GeneratorConfig> = {}): GeneratorConfig {
  return { id: 'g', provider, model: 'm', price: { input: 0, output: 0 }, concurrency: 1, timeoutSeconds: 1, maxRetries: 0, ...extra };
}

describe('API keys', () => {
  it('defaults the variable per provider and honours apiKeyEnv', () => {
    expect(apiKeyEnvName(gen('openai'))).toBe('OPENAI_API_KEY');
    expect(apiKeyEnvName(gen('anthropic'))).toBe('ANTHROPIC_API_KEY');
    expect(apiKeyEnvName(gen('openai-compatible', { baseURL: 'http://x' }))).toBeUndefined();
    expect(apiKeyEnvName(gen('openai', { apiKeyEnv: 'MY_KEY' }))).toBe('MY_KEY');
  });

  it('names the missing variable, treating blank as missing', () => {
    expect(missingKeyReason(gen('openai'), {})).toBe('OPENAI_API_KEY is not set');
    expect(missingKeyReason(gen('anthropic'), { ANTHROPIC_API_KEY: '  ' })).toBe('ANTHROPIC_API_KEY is not set');
    expect(missingKeyReason(gen('anthropic'), { ANTHROPIC_API_KEY: 'k' })).toBeUndefined();
    expect(missingKeyReason(gen('openai', { apiKeyEnv: 'TOGETHER_KEY' }), { OPENAI_API_KEY: 'k' })).toBe('TOGETHER_KEY is not set');
  });

  it('lets an OpenAI-compatible server go keyless with a placeholder, unless apiKeyEnv asks for a key', () => {
    const local = gen('openai-compatible', { baseURL: 'http://x' });
    expect(missingKeyReason(local, {})).toBeUndefined();
    expect(resolveApiKey(local, {})).toBe(placeholderApiKey);
    const hosted = gen('openai-compatible', { baseURL: 'http://x', apiKeyEnv: 'TOGETHER_API_KEY' });
    expect(missingKeyReason(hosted, {})).toBe('TOGETHER_API_KEY is not set');
    expect(resolveApiKey(hosted, { TOGETHER_API_KEY: 'tok-123' })).toBe('tok-123');
  });

  it('throws an auth ProviderError that names the variable', () => {
    expect(() => resolveApiKey(gen('openai'), {})).toThrow(ProviderError);
    expect(() => resolveApiKey(gen('openai'), {})).toThrow(/OPENAI_API_KEY is not set/);
  });
});

describe('createScrubber', () => {
  const scrub = createScrubber(['my-very-own-secret-key', 'EMPTY']);

  it('removes the held key wherever it appears', () => {
    expect(scrub('bad key my-very-own-secret-key, again my-very-own-secret-key')).toBe('bad key [REDACTED], again [REDACTED]');
  });

  it('removes anything shaped like a provider key or bearer token', () => {
    const out = scrub('Incorrect API key provided: sk-proj-abcDEF123456. Authorization: Bearer tok_abcdef123 x-api-key: sk-ant-api03-zzzzzz');
    expect(out).not.toMatch(/sk-proj-abc|tok_abcdef|sk-ant-api03-z/);
    expect(out).toContain('Bearer [REDACTED]');
    expect(scrub('api_key=abcdef123456')).toBe('api_key=[REDACTED]');
  });

  it('leaves ordinary text and short placeholders alone', () => {
    expect(scrub('429 Rate limit reached for EMPTY requests; task-list ok')).toBe('429 Rate limit reached for EMPTY requests; task-list ok');
  });
});
