import type * as Anthropic from '@anthropic-ai/sdk';
import type * as OpenAI from 'openai';
import { ProviderError, type ProviderErrorKind } from '../../core/ports.js';
import { parseRetryAfterMs } from './retry-policy.js';

type Scrub = (text: string) => string;

type ErrorClasses = 'APIError' | 'APIUserAbortError' | 'APIConnectionTimeoutError' | 'APIConnectionError';
/**
 * The error classes of the SDK that made the call. Passed in rather than imported: a worker that
 * talks to an OpenAI-compatible server must not load the Anthropic SDK (and the other way round)
 * only to learn that an error is not one of its own.
 */
export type SdkErrors = Pick<typeof OpenAI, ErrorClasses> | Pick<typeof Anthropic, ErrorClasses>;

/** The kind a status means. 402 and OpenAI's 429 "insufficient_quota" are billing: retrying cannot fix them. */
export function kindForStatus(status: number, code?: string | null): ProviderErrorKind {
  if (status === 429) return code === 'insufficient_quota' ? 'auth' : 'rate-limit';
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  // 409: OpenAI's lock timeouts, retried by its own SDK; 5xx includes Anthropic's 529 "overloaded".
  if (status === 409 || status >= 500) return 'server';
  return 'bad-request';
}

/** Errors sent inside a stream carry a type, not a status. */
function kindForStreamType(type: unknown): ProviderErrorKind {
  switch (type) {
    case 'rate_limit_error':
      return 'rate-limit';
    case 'authentication_error':
    case 'permission_error':
      return 'auth';
    case 'invalid_request_error':
    case 'not_found_error':
      return 'bad-request';
    default:
      return 'server';
  }
}

function errorCode(err: OpenAI.APIError | Anthropic.APIError): string | null | undefined {
  return 'errorCode' in err ? err.errorCode : err.code;
}

/** Anthropic's SDK puts the whole JSON body in `message`; its parsed parts read better. */
function apiErrorMessage(e: OpenAI.APIError | Anthropic.APIError): string {
  if ('apiMessage' in e && e.apiMessage) {
    return [e.status, e.type, e.apiMessage].filter((p) => p !== undefined && p !== null).join(' ');
  }
  return e.message;
}

function messageOf(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error && e.cause.message !== e.message ? ` (${e.cause.message})` : '';
    return `${e.message}${cause}`;
  }
  return String(e);
}

/**
 * Maps whatever an attempt threw (SDK errors, JSON parse errors, our own validation errors) to a
 * ProviderError whose message has every secret scrubbed. The SDK error is not kept as `cause`:
 * it holds headers and bodies we have not vetted.
 */
export function classifyError(e: unknown, scrub: Scrub, sdk?: SdkErrors): ProviderError {
  if (e instanceof ProviderError) {
    return new ProviderError(e.kind, scrub(e.message), e.status, e.retryAfterMs);
  }
  if (sdk !== undefined) return classifySdkError(e, scrub, sdk) ?? classifyError(e, scrub);
  if (e instanceof SyntaxError) {
    return new ProviderError('malformed', scrub(`response body is not valid JSON: ${e.message}`));
  }
  // Undici reports a socket closed mid-body as a bare TypeError ("terminated").
  return new ProviderError('network', scrub(messageOf(e)));
}

function classifySdkError(e: unknown, scrub: Scrub, sdk: SdkErrors): ProviderError | undefined {
  if (e instanceof sdk.APIUserAbortError) {
    return new ProviderError('aborted', 'request aborted');
  }
  if (e instanceof sdk.APIConnectionTimeoutError) {
    return new ProviderError('timeout', 'request timed out');
  }
  if (e instanceof sdk.APIConnectionError) {
    return new ProviderError('network', scrub(`connection failed: ${messageOf(e)}`));
  }
  if (e instanceof sdk.APIError) {
    const message = scrub(apiErrorMessage(e));
    if (typeof e.status !== 'number') {
      return new ProviderError(kindForStreamType(e.type), `error in stream: ${message}`);
    }
    const retryAfterMs = parseRetryAfterMs(e.headers);
    return new ProviderError(kindForStatus(e.status, errorCode(e)), message, e.status, retryAfterMs);
  }
  return undefined;
}
