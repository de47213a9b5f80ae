import { describe, expect, it } from 'vitest';
import { batchSettings } from './batch-settings.js';

describe('batchSettings', () => {
  it('defaults to 1,000 requests per batch and a poll a minute', () => {
    expect(batchSettings({})).toEqual({ size: 1000, pollMs: 60_000 });
  });

  it('takes AGORA_BATCH_SIZE and AGORA_BATCH_POLL_SECONDS (fractions of a second too)', () => {
    expect(batchSettings({ AGORA_BATCH_SIZE: '250', AGORA_BATCH_POLL_SECONDS: '0.05' })).toEqual({ size: 250, pollMs: 50 });
  });

  it('refuses a value that is not a positive number, naming the variable', () => {
    expect(() => batchSettings({ AGORA_BATCH_SIZE: 'many' })).toThrow('AGORA_BATCH_SIZE=many: expected a positive number');
    expect(() => batchSettings({ AGORA_BATCH_POLL_SECONDS: '0' })).toThrow(/AGORA_BATCH_POLL_SECONDS=0/);
  });
});
