import { describe, expect, it } from 'vitest';
import { ALL_SETTINGS, isSettingId, parseSetting } from './setting.js';
import { transition } from './cell-state.js';

describe('settings', () => {
  it('lists the nine settings ordered by method then domain', () => {
    expect(ALL_SETTINGS).toHaveLength(9);
    expect(ALL_SETTINGS.slice(0, 3)).toEqual(['math/instance', 'code/instance', 'inst/instance']);
  });
  it('rejects malformed ids', () => {
    expect(isSettingId('math/instance')).toBe(true);
    expect(isSettingId('math/instances')).toBe(false);
    expect(isSettingId('bio/instance')).toBe(false);
    expect(isSettingId('math/instance/x')).toBe(false);
    expect(parseSetting('code/quality')).toEqual({ id: 'code/quality', domain: 'code', method: 'quality' });
  });
});

describe('stage machine', () => {
  it('finishes a stage as done and advances it to the next stage pending, ending at metrics', () => {
    expect(transition({ stage: 'generate', state: 'running' }, { type: 'finish' })).toEqual({ stage: 'generate', state: 'done' });
    expect(transition({ stage: 'generate', state: 'done' }, { type: 'advance' })).toEqual({ stage: 'train', state: 'pending' });
    expect(transition({ stage: 'score', state: 'done' }, { type: 'advance' })).toEqual({ stage: 'metrics', state: 'pending' });
    expect(() => transition({ stage: 'metrics', state: 'done' }, { type: 'advance' })).toThrow(/cannot advance/);
    expect(() => transition({ stage: 'generate', state: 'failed' }, { type: 'advance' })).toThrow(/cannot advance/);
  });
  it('retries only stopped stages, from the stage that stopped', () => {
    expect(transition({ stage: 'train', state: 'failed' }, { type: 'retry' })).toEqual({ stage: 'train', state: 'pending' });
    expect(() => transition({ stage: 'train', state: 'running' }, { type: 'retry' })).toThrow(/cannot retry/);
  });
});
