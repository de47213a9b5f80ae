import type { IncomingHttpHeaders } from 'node:http';
import type { ShapedReply } from './fake-llm-server-reply.js';
import type { FakeLlmRequest, FakeProvider } from './fake-llm-server-types.js';

export interface WireReply {
  readonly contentType: string;
  readonly body: string;
}

/** One provider's wire format: how requests read and how replies and errors are written. */
export interface WireFormat {
  readonly provider: FakeProvider;
  /** The request in the common shape, or the message of a 400 error. */
  parse(body: Record<string, unknown>, headers: IncomingHttpHeaders): FakeLlmRequest | string;
  reply(req: FakeLlmRequest, shaped: ShapedReply, id: string, chunkChars: number): WireReply;
  /** The provider's JSON error body for an HTTP status. */
  error(status: number, message: string): string;
  /** A 200 whose body does not parse: broken JSON, or a broken SSE event for streaming requests. */
  malformed(stream: boolean): WireReply;
}
