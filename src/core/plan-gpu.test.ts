import { describe, expect, it } from 'vitest';
import { answerTokens, paramsBillions, planServeGpuHours, planTrainGpuHours, type TrainGpuInput } from './plan-gpu.js';

const flat = (n: number) => ({ p10: n, mean: n, p90: n });
const paper: TrainGpuInput = { examples: 10_000, exampleChars: flat(2000), epochs: 5, gpusPerJob: 4, baseModel: 'meta-llama/Llama-3.1-8B', packing: true };

describe('planTrainGpuHours', () => {
  it('is tokens x epochs over an assumed throughput, plus each GPU held while loading and saving', () => {
    const h = planTrainGpuHours(paper);
    // 10,000 x (500 + 30) tokens x 5 epochs at 2,500 tokens/s/GPU, and 4 GPUs x 10 minutes.
    expect(h.expected).toBeCloseTo((10_000 * 530 * 5) / 2500 / 3600 + (4 * 10) / 60, 9);
    expect(h.low).toBeLessThan(h.expected);
    expect(h.expected).toBeLessThan(h.high);
  });

  it('grows with the data, the epochs and the model size', () => {
    const base = planTrainGpuHours(paper).expected;
    expect(planTrainGpuHours({ ...paper, examples: 20_000 }).expected).toBeGreaterThan(base);
    expect(planTrainGpuHours({ ...paper, epochs: 1 }).expected).toBeLessThan(base);
    expect(planTrainGpuHours({ ...paper, baseModel: 'meta-llama/Llama-3.1-70B' }).expected).toBeGreaterThan(5 * base);
  });

  it('plans unpacked examples at their long length (padding)', () => {
    const varied = { ...paper, exampleChars: { p10: 400, mean: 2000, p90: 6000 } };
    expect(planTrainGpuHours({ ...varied, packing: false }).expected).toBeGreaterThan(planTrainGpuHours(varied).expected);
  });
});

describe('paramsBillions', () => {
  it('reads the size a model id names, else assumes the 8B the rates are for', () => {
    expect(paramsBillions('meta-llama/Llama-3.1-70B-Instruct')).toBe(70);
    expect(paramsBillions('Qwen/Qwen2.5-0.5B')).toBe(0.5);
    expect(paramsBillions('/ckpt/student')).toBe(8);
    expect(paramsBillions('tiny-random')).toBe(0);
  });
});

describe('planServeGpuHours', () => {
  it('is start-up plus decoding the answers', () => {
    const tokens = answerTokens(1000, flat(2000));
    expect(tokens).toEqual({ low: 500_000, expected: 500_000, high: 500_000 });
    const h = planServeGpuHours(tokens, 'meta-llama/Llama-3.1-8B');
    expect(h.expected).toBeCloseTo(5 / 60 + 500_000 / 1500 / 3600, 9);
    expect(h.low).toBeLessThan(h.expected);
    expect(h.high).toBeGreaterThan(h.expected);
  });
});
