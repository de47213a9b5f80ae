import type { SweepConfig } from '../../config/schema.js';
import { resolveEvaluateConfig } from '../../config/evaluate-schema.js';
import { createProvider } from '../../adapters/llm/provider-factory.js';
import { resolveApiKey } from '../../adapters/llm/api-key.js';
import type { ServerHandle } from '../../adapters/serve/student-server.js';
import { createLogprobClient } from '../../adapters/metrics/logprob-client.js';
import { createEmbeddingClient } from '../../adapters/metrics/embedding-client.js';
import { createRewardClient } from '../../adapters/metrics/reward-client.js';
import type { BudgetLedger } from '../../store/budget-ledger.js';
import { embeddingsProvider, metricsJudge, servedSource, type MetricModelName } from '../../config/metric-models.js';
import { measureByJudge, measureEmbeddings, measurePerplexity, measureReward, type MeasureContext, type Todo } from './measures.js';
import { freeAsk, freeEmbeddings, paidAsk, paidEmbeddings, type PaidContext } from './paid-metrics.js';
import { openServedModel } from './served-model.js';

export interface MeasureSetup {
  readonly config: SweepConfig;
  readonly ledger: BudgetLedger;
  readonly jobId: number;
  readonly env: NodeJS.ProcessEnv;
  readonly baseDir: string;
  readonly serverLog: string;
  readonly onServer: (server: ServerHandle | undefined) => void;
  readonly log: (line: string) => void;
}

/** Measures the rows still missing with one model of the `metrics:` section: set it up, use it, let it go. */
export async function measureWith(name: MetricModelName, ctx: MeasureContext, todo: Todo, s: MeasureSetup): Promise<void> {
  const m = s.config.metrics!;
  const paid: PaidContext = { ledger: s.ledger, cellId: ctx.cellId, jobId: s.jobId, signal: ctx.signal };
  if (name === 'judge') {
    const j = metricsJudge(s.config);
    if ('missing' in j) throw new Error(j.missing);
    const provider = createProvider(j.generator, s.env);
    provider.setMaxConcurrency(m.concurrency);
    return measureByJudge(ctx, paidAsk(paid, provider, j.generator), { difficulty: 'difficulty.judge', quality: 'quality.judge' }, todo);
  }
  if (name === 'embeddings') {
    const g = embeddingsProvider(m)!;
    const port = createEmbeddingClient({
      baseURL: g.baseURL ?? 'https://api.openai.com/v1',
      model: g.model,
      apiKey: resolveApiKey(g, s.env),
      timeoutMs: g.timeoutSeconds * 1000,
      maxRetries: g.maxRetries,
      maxConcurrency: m.concurrency,
    });
    return measureEmbeddings(ctx, port, g.price.input > 0 ? paidEmbeddings(paid, g) : freeEmbeddings, todo);
  }
  const source = servedSource(s.config, name);
  if ('missing' in source) throw new Error(source.missing);
  const evaluate = resolveEvaluateConfig(s.config);
  const served = await openServedModel(source, m[name]?.model, {
    readinessTimeoutMs: evaluate.readinessTimeoutSeconds * 1000,
    signal: ctx.signal,
    cwd: s.baseDir,
    env: s.env,
    logFile: s.serverLog,
    onServer: s.onServer,
  });
  s.log(`${name}: ${served.model} at ${served.baseURL}`);
  const endpoint = {
    baseURL: served.baseURL,
    model: served.model,
    timeoutMs: evaluate.requestTimeoutSeconds * 1000,
    maxRetries: 3,
    maxConcurrency: m.concurrency,
  };
  try {
    if (name === 'perplexity') await measurePerplexity(ctx, createLogprobClient(endpoint), todo);
    else if (name === 'reward') await measureReward(ctx, createRewardClient(endpoint), todo);
    else {
      const price = m.openJudge?.price;
      const generator = {
        id: `openJudge:${served.model}`,
        provider: 'openai-compatible' as const,
        model: served.model,
        baseURL: served.baseURL,
        price: price ?? { input: 0, output: 0 },
        concurrency: m.concurrency,
        timeoutSeconds: evaluate.requestTimeoutSeconds,
        maxRetries: 3,
      };
      const provider = createProvider(generator, s.env);
      const ask = price && (price.input > 0 || price.output > 0) ? paidAsk(paid, provider, generator) : freeAsk(provider, ctx.signal);
      await measureByJudge(ctx, ask, { difficulty: 'difficulty.openJudge', quality: 'quality.openJudge' }, todo);
    }
  } finally {
    await served.stop();
  }
}
