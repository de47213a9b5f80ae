import * as Anthropic from '@anthropic-ai/sdk';
import * as OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/ports.js';
import { classifyError, kindForStatus } from './classify-error.js';

const keep = (s: string) => s;

describe('kindForStatus', () => {
  it.each([
    [429, 'rate-limit'],
    [401, 'auth'],
    [402, 'auth'],
    [403, 'auth'],
    [400, 'bad-request'],
    [404, 'bad-request'],
    [422, 'bad-request'],
    [408, 'timeout'],
    [409, 'server'],
    [500, 'server'],
    [503, 'server'],
    [529, 'server'],
  ] as const)('%i is %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });

  it('does not retry an exhausted quota, which waiting cannot fix', () => {
    expect(kindForStatus(429, 'insufficient_quota')).toBe('auth');
    expect(new ProviderError(kindForStatus(429, 'insufficient_quota'), 'x').retryable).toBe(false);
  });
});

describe('classifyError', () => {
  it('keeps status and Retry-After of an OpenAI API error', () => {
    const sdk = OpenAI.APIError.generate(429, { message: 'slow down', code: 'rate_limit_exceeded' }, undefined, new Headers({ 'retry-after': '2' }));
    expect(classifyError(sdk, keep, OpenAI)).toMatchObject({ kind: 'rate-limit', status: 429, retryAfterMs: 2000 });
  });

  it('reads an Anthropic error body into a short message', () => {
    const body = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
    const e = classifyError(Anthropic.APIError.generate(529, body, undefined, new Headers()), keep, Anthropic);
    expect(e).toMatchObject({ kind: 'server', status: 529, message: '529 overloaded_error Overloaded' });
  });

  it('classifies errors sent inside a stream by their type', () => {
    const e = classifyError(
      new Anthropic.APIError(undefined, { type: 'error', error: { type: 'rate_limit_error' } }, 'limited', undefined, 'rate_limit_error'),
      keep,
      Anthropic,
    );
    expect(e.kind).toBe('rate-limit');
  });

  it('maps parse errors, timeouts, connection failures and aborts', () => {
    expect(classifyError(new SyntaxError('Unexpected end of JSON input'), keep).kind).toBe('malformed');
    expect(classifyError(new OpenAI.APIConnectionTimeoutError(), keep, OpenAI).kind).toBe('timeout');
    expect(classifyError(new Anthropic.APIConnectionError({ message: 'ECONNREFUSED' }), keep, Anthropic).kind).toBe('network');
    expect(classifyError(new OpenAI.APIUserAbortError(), keep, OpenAI).kind).toBe('aborted');
    expect(classifyError(new TypeError('terminated'), keep).kind).toBe('network');
  });

  it('scrubs messages, including those of our own errors', () => {
    const scrub = (s: string) => s.replaceAll('secret', '[REDACTED]');
    expect(classifyError(new ProviderError('malformed', 'has secret', 200), scrub)).toMatchObject({ message: 'has [REDACTED]', status: 200 });
    expect(classifyError(new Error('secret'), scrub).message).toBe('[REDACTED]');
  });
});
