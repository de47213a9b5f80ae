import { ProviderError, type CompletionRequest, type CompletionResult } from '../../core/ports.js';

// What a provider's batch API offers agora (OpenAI Batch, Anthropic Message Batches).

/** One request of a batch; `customId` names its answer in the results (`[A-Za-z0-9_-]{1,64}`). */
export interface BatchItemRequest {
  readonly customId: string;
  readonly request: CompletionRequest;
}

/** What the provider says of a batch it holds. */
export interface BatchStatus {
  /** `ended`: no request will be answered any more; the results can be read. */
  readonly phase: 'in-progress' | 'ended';
  /** The provider's own word (`validating`, `in_progress`, `completed`, `expired`, `ended` ...). */
  readonly providerStatus: string;
  readonly total: number;
  /** Requests the provider has finished, answered or failed. */
  readonly done: number;
  readonly failed: number;
  /** Why it ended without answering every request (expired, failed validation, cancelled). */
  readonly problem?: string;
}

export type BatchRowResult =
  | { readonly customId: string; readonly ok: true; readonly result: CompletionResult }
  | { readonly customId: string; readonly ok: false; readonly error: ProviderError };

/** Thrown by submit; `maybeSent`: the provider may hold the batch though it never said so (a timeout on create). */
export class BatchSubmitError extends ProviderError {
  constructor(
    error: ProviderError,
    readonly maybeSent: boolean,
  ) {
    super(error.kind, error.message, error.status, error.retryAfterMs);
    this.name = 'BatchSubmitError';
  }
}

/** A provider's batch API: OpenAI's Batch API or Anthropic's Message Batches, at half the price of live calls. */
export interface BatchClient {
  /** Sends the requests as one batch; returns the provider's id for it. */
  submit(items: readonly BatchItemRequest[], signal: AbortSignal): Promise<string>;
  status(batchId: string, signal: AbortSignal): Promise<BatchStatus>;
  /** The rows of an ended batch; a request with no row was never answered (expired, cancelled). */
  results(batchId: string, signal: AbortSignal): Promise<BatchRowResult[]>;
}

export interface BatchClientOptions {
  readonly apiKey: string;
  readonly timeoutMs: number;
}

/** A create that may have reached the provider: no answer, or the server's own failure. */
export function createMaybeSent(e: ProviderError): boolean {
  return e.kind === 'network' || e.kind === 'timeout' || e.kind === 'server' || e.kind === 'malformed' || e.kind === 'aborted';
}
