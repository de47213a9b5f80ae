import { describe, expect, it } from 'vitest';
import { parseConfigText } from './load-config.js';
import { configuredMetrics, metricsJudge, servedSource } from './metric-models.js';

const head = `name: t
instancesPerCell: 5
budget: { usd: 1 }
generators:
  - { id: g, provider: openai, model: gpt-4o, price: { input: 2.5, output: 10 } }
settings: [math/instance]
`;

/** The config's problem, as load-config words it (file, line, field), or undefined when it loads. */
function problem(text: string): string | undefined {
  try {
    parseConfigText(text, 'sweep.yaml');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('metrics config', () => {
  it('has no stage without the section; with it, the defaults and the metrics of each model', () => {
    expect(parseConfigText(head, 'sweep.yaml').metrics).toBeUndefined();
    const c = parseConfigText(
      `${head}metrics:\n  judge: { generator: g, model: gpt-4o-mini, price: { input: 0.15, output: 0.6 } }\n  reward: { endpoint: "http://127.0.0.1:8000" }\n`,
      's.yaml',
    );
    expect(c.metrics).toMatchObject({ sampleSize: 100, maxJobs: 2, concurrency: 8 });
    expect(configuredMetrics(c.metrics!)).toEqual(['difficulty.judge', 'quality.judge', 'quality.reward']);
    expect(metricsJudge(c)).toMatchObject({ generator: { id: 'g', model: 'gpt-4o-mini', price: { input: 0.15, output: 0.6 } } });
    expect(servedSource(c, 'reward')).toEqual({ endpoint: 'http://127.0.0.1:8000' });
  });

  it('judge: true is evaluate.judge; perplexity defaults to the base student, served with its own command', () => {
    const c = parseConfigText(
      `${head}evaluate:\n  judge: { generator: g }\n  baselines: { base: { checkpoint: meta-llama/Llama-3.1-8B, serveCommand: "serve {checkpoint} --port {port}" } }\nmetrics:\n  judge: true\n  perplexity: {}\n`,
      's.yaml',
    );
    expect(metricsJudge(c)).toMatchObject({ generator: { id: 'g', model: 'gpt-4o' } });
    expect(servedSource(c, 'perplexity')).toEqual({ checkpoint: 'meta-llama/Llama-3.1-8B', serveCommand: 'serve {checkpoint} --port {port}' });
  });

  it('names the field of each mistake', () => {
    expect(problem(`${head}metrics:\n  judge: true\n`)).toMatch(/metrics\.judge.*evaluate\.judge is not configured/s);
    expect(problem(`${head}metrics:\n  judge: { generator: nope }\n`)).toMatch(/metrics\.judge\.generator.*no generator has id "nope"/s);
    expect(problem(`${head}metrics:\n  perplexity: {}\n`)).toMatch(/metrics\.perplexity.*evaluate\.baselines\.base has none/s);
    expect(problem(`${head}metrics:\n  reward: {}\n`)).toMatch(/metrics\.reward\.endpoint.*give an endpoint/s);
    expect(problem(`${head}metrics:\n  reward: { endpoint: "http://x:1", checkpoint: m }\n`)).toMatch(/metrics\.reward\.endpoint.*not both/s);
    expect(problem(`${head}metrics:\n  openJudge: { checkpoint: m, serveCommand: "serve {checkpoint}" }\n`)).toMatch(
      /metrics\.openJudge\.serveCommand.*\{port\}/s,
    );
    expect(problem(`${head}metrics:\n  embeddings: { provider: openai-compatible, model: e, price: { input: 0 } }\n`)).toMatch(
      /metrics\.embeddings\.baseURL.*required/s,
    );
    expect(problem(`${head}metrics:\n  sampleSize: 0\n`)).toMatch(/metrics\.sampleSize/);
    expect(problem(`${head}metrics:\n  samples: 10\n`)).toMatch(/metrics.*samples/s);
  });
});
