import { describe, expect, it } from 'vitest';
import { domainPgr, methodAveragePgr, pgr } from './pgr.js';

describe('pgr', () => {
  it('reproduces the DESIGN.md worked example (MATH: 19.84, 28.08, 34.60 -> 55.8)', () => {
    const v = pgr(28.08, 19.84, 34.6);
    expect('value' in v && Math.round(v.value * 10) / 10).toBe(55.8);
  });

  it('is 0 at the base, 100 at the reference, negative below the base', () => {
    expect(pgr(50, 50, 70)).toEqual({ value: 0 });
    expect(pgr(70, 50, 70)).toEqual({ value: 100 });
    expect(pgr(40, 50, 70)).toEqual({ value: -50 });
  });

  it('gives a reason instead of a number for a zero gap or a missing score', () => {
    expect(pgr(60, 50, 50)).toEqual({ reason: expect.stringContaining('zero denominator') });
    expect(pgr(60, undefined, 50)).toEqual({ reason: 'no base-model score' });
    expect(pgr(undefined, 40, 50)).toEqual({ reason: 'no student score' });
    expect(pgr(60, 40, Number.NaN)).toEqual({ reason: 'no reference-model score' });
  });

  it('averages benchmarks into a domain and domains into a method', () => {
    expect(domainPgr({ value: 55.8 }, { value: 20.2 })).toEqual({ value: 38 });
    expect(methodAveragePgr([{ value: 30 }, { value: 60 }, { value: -3 }])).toEqual({ value: 29 });
    expect(domainPgr({ value: 10 }, { reason: 'no base-model score' })).toEqual({ reason: 'no base-model score' });
    expect(methodAveragePgr([])).toEqual({ reason: 'nothing to average' });
  });
});
