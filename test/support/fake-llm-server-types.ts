/** Types shared by the fake LLM server's modules and by the responders other people write. */

export type FakeProvider = 'openai' | 'anthropic';

export interface FakeMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** What a responder sees: the request in one shape for both wire formats. */
export interface FakeLlmRequest {
  readonly provider: FakeProvider;
  readonly model: string;
  /** Anthropic's separate `system` comes first here, as a system message. */
  readonly messages: readonly FakeMessage[];
  readonly maxTokens: number | undefined;
  readonly stop: readonly string[];
  readonly temperature: number | undefined;
  /** The parsed JSON body as sent. */
  readonly body: Record<string, unknown>;
}

/** Returns the full reply; the server applies stop sequences and max tokens to it as the real APIs do. */
export type FakeResponder = (req: FakeLlmRequest) => string | Promise<string>;

/** One fault; `path` (e.g. '/v1/messages') restricts it to requests for that path. */
export type FakeFault =
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfterSeconds?: number;
      readonly retryAfterMs?: number;
      /** Overrides the error message in the body. */
      readonly message?: string;
      readonly path?: string;
    }
  | { readonly kind: 'malformed'; readonly path?: string }
  /** Any answer, byte for byte: for well-formed JSON with parts missing (no usage, no choices). */
  | { readonly kind: 'raw'; readonly status?: number; readonly body: string; readonly contentType?: string; readonly path?: string }
  | { readonly kind: 'hang'; readonly path?: string }
  | { readonly kind: 'delay'; readonly ms: number; readonly path?: string };

/** A standing rule: each matching request draws from the seeded RNG and gets `fault` with probability `rate`. */
export interface FakeFaultRule {
  readonly rate: number;
  readonly fault: FakeFault;
}

export interface FakeArrival {
  readonly path: string;
  /** Epoch milliseconds with sub-millisecond precision (performance.timeOrigin + performance.now()). */
  readonly at: number;
}

export interface FakeLlmStats {
  total: number;
  /** TCP connections accepted: far fewer than requests when clients keep connections alive. */
  connections: number;
  byPath: Record<string, number>;
  inFlight: number;
  maxInFlight: number;
  faultsServed: number;
  faultsByKind: Record<string, number>;
  arrivals: FakeArrival[];
}

export interface FakeLlmServerOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly latencyMs?: number;
  readonly responder?: FakeResponder;
  /** Seed of the RNG behind probabilistic faults (default 1). */
  readonly seed?: number;
  /** When set, requests must carry this key (Bearer / x-api-key); a wrong one gets a 401 that echoes it, as a leak test. */
  readonly apiKey?: string;
  /** Ids listed by GET /v1/models (default ['fake-model']). */
  readonly models?: readonly string[];
  /** Characters per streamed delta (default 16). */
  readonly streamChunkChars?: number;
}

export interface FakeLlmServer {
  readonly url: string;
  readonly openaiBaseURL: string;
  readonly anthropicBaseURL: string;
  /** Live counters, updated in place. */
  readonly stats: FakeLlmStats;
  inject(faults: FakeFault | FakeFaultRule | ReadonlyArray<FakeFault | FakeFaultRule>): void;
  /** Drops queued faults and standing rules. */
  clearFaults(): void;
  setLatency(ms: number): void;
  setResponder(fn: FakeResponder): void;
  resetStats(): void;
  /** The batch APIs' stand-in (test/support/fake-llm-server-batch.ts). */
  readonly batches: FakeBatchControl;
  /** Ends hung and in-flight connections, then stops listening. */
  close(): Promise<void>;
}

/**
 * A fault of the batch stand-in, taken by the next batch created for `provider` (any when
 * unset): `row-error` fails the next `count` requests it processes (HTTP `status`, default 500);
 * `expire` ends the batch with only its first half answered; `fail` fails an OpenAI batch whole;
 * `hang-create` leaves its create unanswered.
 */
export type FakeBatchFault =
  | { readonly kind: 'row-error'; readonly count: number; readonly status?: number; readonly provider?: FakeProvider }
  | { readonly kind: 'expire'; readonly provider?: FakeProvider }
  | { readonly kind: 'fail'; readonly provider?: FakeProvider }
  /** The batch is created (and counted) but the create is never answered: the client never learns its id. */
  | { readonly kind: 'hang-create'; readonly provider?: FakeProvider };

/** One request the stand-in answered, with the usage it reported (what it billed). */
export interface FakeBatchBilledRow {
  readonly provider: FakeProvider;
  readonly batchId: string;
  readonly customId: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface FakeBatchStats {
  /** Batches created, per API: a batch sent twice shows here. */
  readonly created: Record<FakeProvider, number>;
  /** Requests received in created batches. */
  requests: number;
  polls: number;
  readonly billed: FakeBatchBilledRow[];
}

/** The stand-in of OpenAI's Batch API and Anthropic's Message Batches. */
export interface FakeBatchControl {
  readonly stats: FakeBatchStats;
  inject(faults: FakeBatchFault | readonly FakeBatchFault[]): void;
  /** While held, no batch finishes: polls advance its counts to one step short of the end. */
  hold(on: boolean): void;
  /** Polls of a batch before it ends (default 3). */
  setPollsToFinish(n: number): void;
}
