import { describe, expect, it } from 'vitest';
import { middleEllipsis, shortGeneratorLabels } from './generator-labels.js';

const labels = (ids: string[], width: number) => ids.map((id) => shortGeneratorLabels(ids, width).get(id));

describe('shortGeneratorLabels', () => {
  it('keeps ids that fit as they are', () => {
    expect(labels(['gpt-4o', 'gpt-4o-mini'], 12)).toEqual(['gpt-4o', 'gpt-4o-mini']);
  });

  it('tells three Llama sizes apart where cutting the end reads llama-3.1… for all', () => {
    const ids = ['llama-3.1-405b-instruct', 'llama-3.1-70b-instruct', 'llama-3.1-8b-instruct'];
    expect(labels(ids, 12)).toEqual(['l3.1-405b', 'l3.1-70b', 'l3.1-8b']);
    expect(labels(ids, 14)).toEqual(['llama-3.1-405b', 'llama-3.1-70b', 'llama-3.1-8b']);
  });

  it('drops provider prefixes and dates, unless that makes two ids the same', () => {
    expect(labels(['meta-llama/Llama-3.1-8B-Instruct', 'claude-3-5-sonnet-20240620'], 17)).toEqual(['Llama-3.1-8B', 'claude-3-5-sonnet']);
    const dated = ['gpt-4o-2024-05-13', 'gpt-4o-2024-08-06'];
    const got = labels(dated, 12);
    expect(new Set(got).size).toBe(2);
    for (const l of got) expect([...l!].length).toBeLessThanOrEqual(12);
  });

  it('is unique and within width even for ids that differ only in the middle', () => {
    const ids = ['model-aaaa-long-suffix-x', 'model-bbbb-long-suffix-x', 'model-cccc-long-suffix-x'];
    const got = labels(ids, 8);
    expect(new Set(got).size).toBe(3);
    for (const l of got) expect([...l!].length).toBeLessThanOrEqual(8);
  });

  it('middleEllipsis keeps the tail', () => {
    expect(middleEllipsis('llama-3.1-405b-instruct', 10)).toBe('lla…struct');
    expect(middleEllipsis('short', 10)).toBe('short');
  });
});
