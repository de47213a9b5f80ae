import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCacheRoot, hfCacheDir } from './paths.js';

describe('the cache folder', () => {
  it('is .cache/agora inside a checkout', () => {
    expect(defaultCacheRoot('/home/dev/agora', {})).toBe(path.normalize('/home/dev/agora/.cache/agora'));
  });

  it("is the user's cache for an installed package, never a folder inside node_modules", () => {
    const installed = '/srv/project/node_modules/agora';
    expect(defaultCacheRoot(installed, { XDG_CACHE_HOME: '/var/cache/me' })).toBe(path.normalize('/var/cache/me/agora'));
    expect(defaultCacheRoot(installed, {})).toBe(path.join(os.homedir(), '.cache', 'agora'));
  });

  it('is AGORA_CACHE_DIR when set, relative to the working folder', () => {
    expect(hfCacheDir({ AGORA_CACHE_DIR: 'c' }, '/work/x')).toBe(path.normalize('/work/x/c/hf'));
  });
});
