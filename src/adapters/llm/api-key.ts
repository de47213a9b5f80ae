import type { GeneratorConfig } from '../../config/schema.js';
import { ProviderError } from '../../core/ports.js';

/** What an OpenAI-compatible server (vLLM, Ollama) gets when it needs no key: the SDK refuses an empty one. */
export const placeholderApiKey = 'EMPTY';

/** The environment variable a generator's key is read from, or undefined when it needs none. */
export function apiKeyEnvName(gen: GeneratorConfig): string | undefined {
  if (gen.apiKeyEnv !== undefined) return gen.apiKeyEnv;
  switch (gen.provider) {
    case 'openai':
      return 'OPENAI_API_KEY';
    case 'anthropic':
      return 'ANTHROPIC_API_KEY';
    case 'openai-compatible':
      return undefined;
  }
}

/** Why this generator cannot run for want of a key ("OPENAI_API_KEY is not set"), or undefined when it can. */
export function missingKeyReason(gen: GeneratorConfig, env: NodeJS.ProcessEnv): string | undefined {
  const name = apiKeyEnvName(gen);
  if (name === undefined) return undefined;
  const value = env[name];
  return value === undefined || value.trim() === '' ? `${name} is not set` : undefined;
}

/** The key to send; throws ProviderError('auth') naming the variable, never a value, when it is missing. */
export function resolveApiKey(gen: GeneratorConfig, env: NodeJS.ProcessEnv): string {
  const name = apiKeyEnvName(gen);
  if (name === undefined) return placeholderApiKey;
  const reason = missingKeyReason(gen, env);
  if (reason !== undefined) throw new ProviderError('auth', `generator "${gen.id}": ${reason}`);
  return (env[name] ?? '').trim();
}
