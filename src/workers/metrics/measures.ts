import type { MetricId } from '../../core/metrics/metric-ids.js';
import type { EmbeddingPort, LogprobPort, RewardPort } from '../../core/metrics/metric-ports.js';
import { difficultyRequest, parseJudgeScore, qualityRequest } from '../../core/metrics/judge-rubric.js';
import { itemPerplexity } from '../../core/analysis/perplexity.js';
import type { CompletionRequest } from '../../core/ports.js';
import type { Domain } from '../../core/setting.js';
import type { MeasuredInstance, MetricRepo } from '../../store/metric-repo.js';
import { runPool } from '../evaluate/pool.js';
import { EMBEDDING_BATCH } from '../../core/plan-metrics.js';

/** What every measure needs: where rows go, how many requests at once, and the job's signal. */
export interface MeasureContext {
  readonly repo: MetricRepo;
  readonly cellId: number;
  readonly domain: Domain;
  readonly concurrency: number;
  readonly signal: AbortSignal;
  /** Told of each row stored. */
  readonly onStored: (n: number) => void;
}

/** The sampled instances still without a row, per metric. */
export type Todo = (metric: MetricId) => readonly MeasuredInstance[];

/**
 * A chat model's answer to a request, handed to `store`, which writes the row. A paid judge runs
 * `store` in the transaction that settles the call's cost (BudgetedCalls), so a row is never
 * stored without its charge, nor charged twice on a resume.
 */
export type Ask = (request: CompletionRequest, store: (text: string) => void) => Promise<void>;

/** The judge's verdict as a row: its 1-5 score, or why there is none (the answer's end kept to read). */
function storeVerdict(ctx: MeasureContext, metric: MetricId, instanceId: number, text: string): void {
  const parsed = parseJudgeScore(text);
  if ('score' in parsed) ctx.repo.saveValue(ctx.cellId, instanceId, metric, parsed.score);
  else ctx.repo.saveFailure(ctx.cellId, instanceId, metric, { error: parsed.error, answerTail: text.slice(-300) });
}

/** Instruction difficulty and response quality by a chat judge (the LLM judge, or the open judge). */
export async function measureByJudge(ctx: MeasureContext, ask: Ask, metrics: { difficulty: MetricId; quality: MetricId }, todo: Todo): Promise<void> {
  const jobs = [
    ...todo(metrics.difficulty).map((i) => ({ metric: metrics.difficulty, instance: i, request: difficultyRequest(i.instruction, ctx.domain) })),
    ...todo(metrics.quality).map((i) => ({ metric: metrics.quality, instance: i, request: qualityRequest(i.instruction, i.response, ctx.domain) })),
  ];
  await runPool(
    jobs,
    ctx.concurrency,
    async (j) => {
      await ask(j.request, (text) => storeVerdict(ctx, j.metric, j.instance.id, text));
      ctx.onStored(1);
    },
    ctx.signal,
  );
}

/** The base model's perplexity of each instruction, scored alone (no batch mean, no padding). */
export async function measurePerplexity(ctx: MeasureContext, port: LogprobPort, todo: Todo): Promise<void> {
  const metric: MetricId = 'difficulty.perplexity';
  await runPool(
    todo(metric),
    ctx.concurrency,
    async (i) => {
      const lp = await port.promptLogprobs(i.instruction, ctx.signal);
      const item = itemPerplexity(lp, `instance ${i.id}`);
      if (item) ctx.repo.saveValue(ctx.cellId, i.id, metric, item.perplexity);
      else ctx.repo.saveFailure(ctx.cellId, i.id, metric, { error: 'the instruction has no token to score (one token long)' });
      ctx.onStored(1);
    },
    ctx.signal,
  );
}

/** The reward model's score of each response to its instruction. */
export async function measureReward(ctx: MeasureContext, port: RewardPort, todo: Todo): Promise<void> {
  const metric: MetricId = 'quality.reward';
  await runPool(
    todo(metric),
    ctx.concurrency,
    async (i) => {
      const value = await port.score(i.instruction, i.response, ctx.signal);
      ctx.repo.saveValue(ctx.cellId, i.id, metric, value);
      ctx.onStored(1);
    },
    ctx.signal,
  );
}

/** How embeddings are paid for: a settle around the batch's rows, or nothing (an unpriced model). */
export type PayEmbeddings = (texts: readonly string[], embed: () => Promise<{ inputTokens: number }>, store: () => void) => Promise<void>;

/** Embeddings of instructions and responses (diversity.*), in batches; each batch's rows are stored together. */
export async function measureEmbeddings(ctx: MeasureContext, port: EmbeddingPort, pay: PayEmbeddings, todo: Todo, batchSize = EMBEDDING_BATCH): Promise<void> {
  const batches: { metric: MetricId; items: readonly MeasuredInstance[] }[] = [];
  for (const metric of ['diversity.instruction', 'diversity.response'] as const) {
    const items = todo(metric);
    for (let i = 0; i < items.length; i += batchSize) batches.push({ metric, items: items.slice(i, i + batchSize) });
  }
  await runPool(
    batches,
    ctx.concurrency,
    async (b) => {
      const texts = b.items.map((i) => (b.metric === 'diversity.instruction' ? i.instruction : i.response));
      let vectors: readonly (readonly number[])[] = [];
      await pay(
        texts,
        async () => {
          const out = await port.embed(texts, ctx.signal);
          vectors = out.vectors;
          return { inputTokens: out.inputTokens };
        },
        () => b.items.forEach((i, k) => ctx.repo.saveVector(ctx.cellId, i.id, b.metric, vectors[k]!)),
      );
      ctx.onStored(b.items.length);
    },
    ctx.signal,
  );
}
