/** The port every LLM provider adapter implements (OpenAI, OpenAI-compatible, Anthropic). */

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface RetryInfo {
  readonly attempt: number;
  readonly kind: ProviderErrorKind;
  readonly message: string;
  readonly delayMs: number;
}

export interface CompletionRequest {
  readonly messages: readonly ChatMessage[];
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topP?: number;
  readonly stop?: readonly string[];
  /** vLLM's sampling extension; dropped for providers that do not take it. */
  readonly repetitionPenalty?: number;
  readonly signal?: AbortSignal;
  /** Called before each backoff sleep, so callers can count and log retries. */
  readonly onRetry?: (info: RetryInfo) => void;
}

export interface CompletionResult {
  readonly text: string;
  /** From the API's own usage fields, never estimated. */
  readonly usage: TokenUsage;
  readonly finishReason: 'stop' | 'length' | 'other';
  readonly latencyMs: number;
  /** 1 when the first attempt succeeded. */
  readonly attempts: number;
  readonly model: string;
}

export type ProviderErrorKind = 'rate-limit' | 'server' | 'timeout' | 'malformed' | 'network' | 'auth' | 'bad-request' | 'aborted';

/** Thrown by adapters once retries are spent, or at once for errors that retrying cannot fix. */
export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    return this.kind === 'rate-limit' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'malformed' || this.kind === 'network';
  }
}

export interface ProviderPort {
  readonly generatorId: string;
  complete(req: CompletionRequest): Promise<CompletionResult>;
  /** Requests the adapter currently lets run at once (adapts down on 429, recovers after). */
  readonly concurrency: number;
  /** Caps the adaptive limit; the conductor changes it as cells of one generator start and end. */
  setMaxConcurrency(n: number): void;
}
