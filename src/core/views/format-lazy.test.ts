import { afterEach, describe, expect, it, vi } from 'vitest';

// The first Intl.NumberFormat of a process costs ~26 ms of CPU (ICU data): loading this module
// must not pay it, since the conductor and the generate worker import it before their first
// request and format no number by then (bench/startup-marks.ts).
describe('format.ts start-up cost', () => {
  const Real = Intl.NumberFormat;
  afterEach(() => {
    Intl.NumberFormat = Real;
  });

  it('builds no number formatter until a number is formatted, then one per format, once', async () => {
    let built = 0;
    Intl.NumberFormat = class extends Real {
      constructor(...args: ConstructorParameters<typeof Real>) {
        super(...args);
        built++;
      }
    } as typeof Real;
    vi.resetModules();
    const format = await import('./format.js');
    expect(built).toBe(0);
    expect(format.formatUsd(1234.5)).toBe('$1,234.50');
    expect(format.formatUsd(99)).toBe('$99.00');
    expect(built).toBe(1);
    expect(format.formatInt(1234567)).toBe('1,234,567');
    expect(format.plural(2000, 'cell')).toBe('2,000 cells');
    expect(built).toBe(2);
  });
});
