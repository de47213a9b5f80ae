import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { holdEarlyKeys } from './early-keys.js';

/** A stream that says it is a terminal and records raw-mode switches. */
function ttyStream() {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; modes: boolean[]; setRawMode(m: boolean): void };
  s.isTTY = true;
  s.modes = [];
  s.setRawMode = (m: boolean) => void s.modes.push(m);
  return s;
}

const readAll = (s: PassThrough) => new Promise<string>((resolve) => s.once('readable', () => resolve(String(s.read()))));

describe('holdEarlyKeys', () => {
  it('keeps keys typed before release and hands them back to the stream in order', async () => {
    const s = ttyStream();
    const early = holdEarlyKeys(s, () => expect.fail('no Ctrl-C was typed'));
    expect(s.modes).toEqual([true]);
    s.write('l');
    s.write('\r');
    await new Promise((r) => setImmediate(r));
    early.release();
    expect(await readAll(s)).toBe('l\r');
  });

  it('Ctrl-C while starting interrupts, with the terminal back in its normal mode', async () => {
    const s = ttyStream();
    let interrupted = 0;
    holdEarlyKeys(s, () => interrupted++);
    s.write('b\u0003');
    await new Promise((r) => setImmediate(r));
    expect(interrupted).toBe(1);
    expect(s.modes).toEqual([true, false]);
  });

  it('does nothing when stdin is not a terminal', () => {
    const s = new PassThrough();
    holdEarlyKeys(s as unknown as NodeJS.ReadStream, () => {}).release();
    expect(s.listenerCount('data')).toBe(0);
  });
});
