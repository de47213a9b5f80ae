import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from './load-config.js';
import { evaluateConfigSchema, evaluateCrossChecks, PAPER_REFERENCE_SCORES, resolveEvaluateConfig } from './evaluate-schema.js';

const head = `name: t
instancesPerCell: 5
budget: { usd: 1 }
generators:
  - { id: g, provider: openai, model: m, price: { input: 1, output: 1 } }
settings: [math/instance]
`;

describe('evaluate config', () => {
  it("defaults to the paper's inference settings, MATH-500, vLLM serving, and the reference model evaluated", () => {
    const e = resolveEvaluateConfig(parseConfigText(head, 'sweep.yaml'));
    expect(e.serveCommand).toBe('vllm serve {checkpoint} --port {port}');
    expect(e.math).toBe('full');
    expect(e.mbpp).toBe('evalplus');
    expect(e.inference).toEqual({ temperature: { math: 0.2, code: 0, inst: 0 }, topP: 0.95, maxTokens: 1024, repetitionPenalty: 1.03 });
    // Issue 9: the reference is evaluated in agora's harness by default, not taken from the paper.
    expect(e.baselines.reference).toEqual({ checkpoint: 'meta-llama/Llama-3.1-8B-Instruct' });
    expect(e.baselines.base).toEqual({});
    expect(e.judge).toBeUndefined();
    // The paper's numbers only when asked for; a reference with only a serve command is still the default checkpoint.
    expect(evaluateConfigSchema.parse({ baselines: { reference: { scores: 'paper' } } }).baselines.reference).toEqual({ scores: 'paper' });
    expect(evaluateConfigSchema.parse({ baselines: { reference: { serveCommand: 'x {port}' } } }).baselines.reference).toEqual({
      serveCommand: 'x {port}',
      checkpoint: 'meta-llama/Llama-3.1-8B-Instruct',
    });
    const both = evaluateConfigSchema.safeParse({ baselines: { reference: { checkpoint: 'meta-llama/Llama-3.1-8B-Instruct', scores: 'paper' } } });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]).toMatchObject({ path: ['baselines', 'reference', 'scores'], message: expect.stringContaining('not several') });
    expect(evaluateConfigSchema.safeParse({ baselines: { reference: { scores: 'published' } } }).success).toBe(false);
    expect(PAPER_REFERENCE_SCORES.math).toBe(34.6);
  });

  it('reads overrides: full MATH, data files with limits, an inline judge and base scores', () => {
    const c = parseConfigText(
      `${head}evaluate:
  math: full
  endpoint: http://127.0.0.1:8000
  benchmarks: { gsm8k: { dataFile: data/gsm8k.jsonl, limit: 50 } }
  judge: { generator: { id: judge, provider: openai, model: gpt-4-1106-preview, price: { input: 10, output: 30 } } }
  baselines: { base: { scores: { gsm8k: 19.5 } } }
`,
      'sweep.yaml',
    );
    const e = resolveEvaluateConfig(c);
    expect(e).toMatchObject({
      math: 'full',
      endpoint: 'http://127.0.0.1:8000',
      benchmarks: { gsm8k: { dataFile: 'data/gsm8k.jsonl', limit: 50 } },
      baselines: { base: { scores: { gsm8k: 19.5 } } },
    });
    expect(e.judge?.generator).toMatchObject({ id: 'judge', concurrency: 16, maxRetries: 6 });
  });

  it('names the field and line of a bad serve command, an unknown benchmark and a baseline with two sources', () => {
    const text = `${head}evaluate:
  serveCommand: vllm serve {model}
  benchmarks: { mmlu: { limit: 5 } }
  baselines:
    base: { checkpoint: a, endpoint: "http://x:1" }
`;
    let err: ConfigError | undefined;
    try {
      parseConfigText(text, 'sweep.yaml');
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msgs = err!.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`);
    expect(msgs).toContain('8: evaluate.serveCommand: unknown placeholder {model}; known: {checkpoint} {port}');
    expect(msgs).toContain('8: evaluate.serveCommand: needs {port}: agora picks a free port and waits for the server there');
    expect(msgs.some((m) => m.startsWith('9: evaluate.benchmarks: unknown field "mmlu"'))).toBe(true);
    expect(msgs).toContain('11: evaluate.baselines.base.endpoint: give a checkpoint or an endpoint, not both');
  });

  it('checks that a judge named by id is one of the generators', () => {
    const e = evaluateConfigSchema.parse({ judge: { generator: 'gpt-4o' } });
    expect(evaluateCrossChecks(e, ['gpt-4o'])).toEqual([]);
    expect(evaluateCrossChecks(e, ['claude'])).toEqual([
      { path: ['evaluate', 'judge', 'generator'], message: 'no generator has id "gpt-4o" (give one of claude, or a provider inline)' },
    ]);
  });

  it('generatorScores is off by default, true for every generator, or a list of generator ids checked against the sweep', () => {
    expect(evaluateConfigSchema.parse({}).generatorScores).toBe(false);
    expect(evaluateConfigSchema.parse({ generatorScores: true }).generatorScores).toBe(true);
    expect(() => evaluateConfigSchema.parse({ generatorScores: [] })).toThrow();
    expect(() => evaluateConfigSchema.parse({ generatorScores: 'gpt-4o' })).toThrow();
    const e = evaluateConfigSchema.parse({ generatorScores: ['gpt-4o', 'llama'] });
    expect(evaluateCrossChecks(e, ['gpt-4o', 'claude'])).toEqual([
      { path: ['evaluate', 'generatorScores', 1], message: 'no generator has id "llama" (give ids of gpt-4o, claude)' },
    ]);
  });
});
