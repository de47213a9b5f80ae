import { describe, expect, it } from 'vitest';
import { fit, formatCount, formatDuration, formatPgr, formatPrice, formatUsd, formatUsdShort } from './format.js';

describe('format', () => {
  it('money', () => {
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(-3)).toBe('-$3.00');
    expect(formatUsdShort(1.234)).toBe('$1.23');
    expect(formatUsdShort(12.34, 5)).toBe('$12.3');
    expect(formatUsdShort(123.4, 5)).toBe('$123');
    expect(formatUsdShort(1234)).toBe('$1.2k');
    expect(formatUsdShort(12_345, 5)).toBe('$12k');
    for (const v of [0.5, 9.99, 99.9, 999, 9999, 99_999]) expect(formatUsdShort(v, 6).length).toBeLessThanOrEqual(6);
  });

  it('counts', () => {
    expect(formatCount(950)).toBe('950');
    expect(formatCount(1200)).toBe('1.2k');
    expect(formatCount(1000)).toBe('1k');
    expect(formatCount(10_000)).toBe('10k');
    expect(formatCount(14_856)).toBe('15k');
    expect(formatCount(1_500_000)).toBe('1.5M');
  });

  it('durations', () => {
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(7380)).toBe('2h 03m');
    expect(formatDuration(3 * 86_400 + 4 * 3600)).toBe('3d 04h');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('PGR never prints -0.0', () => {
    expect(formatPgr(55.83)).toBe('55.8');
    expect(formatPgr(-0.01)).toBe('0.0');
    expect(formatPgr(-4.1)).toBe('-4.1');
  });

  it('fit pads and cuts to an exact width', () => {
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('ab', 4, 'right')).toBe('  ab');
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('⠋G', 3)).toBe('⠋G ');
  });
});

describe('formatUsdShort on sub-cent costs', () => {
  it('never shows a charged amount as $0.00', () => {
    expect(formatUsdShort(0)).toBe('$0.00');
    expect(formatUsdShort(0.0016)).toBe('$.0016');
    expect(formatUsdShort(0.00004)).toBe('<$.01');
    expect(formatUsdShort(0.006)).toBe('$0.01');
  });
});

describe('formatPrice', () => {
  it('shows cents, and more digits only when cents would round the price', () => {
    expect(formatPrice(0.055)).toBe('0.055');
    expect(formatPrice(2.5)).toBe('2.50');
    expect(formatPrice(10)).toBe('10.00');
    expect(formatPrice(1.79)).toBe('1.79');
    expect(formatPrice(0.0001234)).toBe('0.0001');
  });
});
