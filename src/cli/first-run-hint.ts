import { missingKeyReason } from '../adapters/llm/api-key.js';
import type { SweepConfig } from '../config/schema.js';

/** The line a newcomer needs: why cells are blocked and the two ways to unblock them. */
export function firstRunHint(config: SweepConfig, env: NodeJS.ProcessEnv, conductorPid?: number): string | undefined {
  if (conductorPid !== undefined) return `read-only: agora (pid ${conductorPid}) is conducting this sweep; this window only watches`;
  const missing = [...new Set(config.generators.map((g) => (g.apiKeyEnv && missingKeyReason(g, env) ? g.apiKeyEnv : undefined)).filter(Boolean))];
  if (missing.length === 0) return undefined;
  return [
    `No API key for blocked cells: export ${missing.join(', ')} and restart agora.`,
    `Or use a local server: provider openai-compatible, baseURL http://localhost:11434/v1 (Ollama) or :8000/v1 (vLLM).`,
  ].join('\n');
}
