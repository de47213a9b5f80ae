import type { ChatMessage } from '../ports.js';

/**
 * The system message of every generation call. The official code sends one with each
 * request (the model is cast as an agent that produces new data following the guidelines,
 * requirements and examples in the prompt); agora's wording, the same role.
 */
export const GENERATION_SYSTEM_MESSAGE =
  'You are a synthetic data generator. You create new, original data instances that follow the guidelines, requirements and examples given in the prompt exactly, and you write nothing but the instance asked for.';

/** Puts the generation system message first unless the template brought its own. */
export function withSystemMessage(messages: readonly ChatMessage[]): ChatMessage[] {
  if (messages.some((m) => m.role === 'system')) return [...messages];
  return [{ role: 'system', content: GENERATION_SYSTEM_MESSAGE }, ...messages];
}
